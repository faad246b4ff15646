"""The action contract. An action is one module: its spec (a pydantic model whose key
field names the action), its timing needs, the references it uses, and its animation.

Timing is plain data (`Timing`) so the plan can be made without Manim; `animate` runs
inside the render worker with the `Stage` that knows every drawn element.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pydantic import Field

from vidgen.storyboard.common import Name, Seconds, StrictModel
from vidgen.storyboard.refs import Ref, parse_ref

if TYPE_CHECKING:
    from vidgen.render.stage import Stage


class ActionSpec(StrictModel):
    """Fields every action has: when it starts (a mark) and how long it runs."""

    kind: ClassVar[str]

    at: Name | None = Field(None, description="Start when the word after <mark name=\"…\"/> is spoken.")
    run_time: Seconds | None = Field(None, description="Seconds; without it the action shares the beat's length.")


@dataclass(frozen=True)
class Effect:
    """What an action does to what is on screen, so mistakes show before rendering.

    `needs` must be visible before the action; `shows` become visible; `hides` vanish.
    Names are element names (parts count as their element).
    """

    needs: tuple[str, ...] = ()
    shows: tuple[str, ...] = ()
    hides: tuple[str, ...] = ()


@dataclass(frozen=True)
class Timing:
    """How long an action likes to run (natural) and may run (minimum, maximum), seconds."""

    natural: float
    minimum: float
    maximum: float


class ActionKind(Protocol):
    """An action kind. Optionally `joins = True`: it animates from one element it names to
    another (a move next to it, a flow into it), so they must be drawn in one frame of
    reference (the camera keeps still when it would join a band's words to the picture)."""

    spec: type[ActionSpec]
    summary: str

    def timing(self, spec: Any, elements: Mapping[str, Any]) -> Timing:
        """Natural, minimum and maximum run time; `elements` are the scene's element specs."""

    def refs(self, spec: Any) -> list[tuple[str, Ref]]:
        """Every (field name, reference) the action uses, so they can be checked early."""

    def effect(self, spec: Any) -> Effect:
        ...

    def animate(self, spec: Any, stage: Stage, run_time: float) -> list[Any]:
        """The Manim animations that perform the action in `run_time` seconds."""


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def refs_of(field: str, value: str | list[str] | None) -> list[tuple[str, Ref]]:
    return [(field, parse_ref(v)) for v in as_list(value)]


def elements_of(value: str | list[str] | None) -> tuple[str, ...]:
    """The element names behind one or more references."""
    return tuple(dict.fromkeys(parse_ref(v).element for v in as_list(value)))
