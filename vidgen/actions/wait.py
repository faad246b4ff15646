"""wait: hold the picture for a number of seconds."""

from __future__ import annotations

from typing import Any, ClassVar

from vidgen.actions.base import ActionSpec, Effect, Timing
from vidgen.storyboard.common import Seconds
from vidgen.storyboard.refs import Ref


class WaitSpec(ActionSpec):
    """Hold still for `wait` seconds."""

    kind: ClassVar[str] = "wait"

    wait: Seconds


class WaitKind:
    spec = WaitSpec
    summary = "Hold the picture still for some seconds."

    def timing(self, spec: WaitSpec, elements: Any) -> Timing:
        return Timing(natural=spec.wait, minimum=spec.wait, maximum=spec.wait)

    def refs(self, spec: WaitSpec) -> list[tuple[str, Ref]]:
        return []

    def effect(self, spec: WaitSpec) -> Effect:
        return Effect()

    def animate(self, spec: WaitSpec, stage: Any, run_time: float) -> list[Any]:
        return []
