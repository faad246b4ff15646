"""flow: a pulse of light travels through connections, element to element, layer to layer.

`flow: [ratings, encoder]` pulses from the vector's cells into the encoder's first
layer, then through each of its layers. An MLP's own synapses carry the pulse between
its layers; between different elements, lines are drawn one-to-one when both sides have
as many nodes, all-to-all otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field

from vidgen.actions.base import ActionSpec, Effect, Timing, elements_of, refs_of
from vidgen.storyboard.common import Color, RefList
from vidgen.storyboard.refs import Ref, parse_ref

SECONDS_PER_HOP = (1.0, 0.35, 2.5)  # natural, minimum, maximum


class FlowSpec(ActionSpec):
    """Pulse through connections along the listed elements or parts."""

    kind: ClassVar[str] = "flow"

    flow: RefList
    color: Color = Field("yellow", description="Colour of the pulse.")


def stage_count(ref: Ref, elements: Mapping[str, Any]) -> int:
    """How many node groups a reference contributes to the flow's path."""
    from vidgen.elements import ELEMENT_KINDS

    spec = elements.get(ref.element)
    if spec is None or not ref.is_whole:
        return 1
    chain = getattr(ELEMENT_KINDS[spec.kind], "chain", None)
    return len(ELEMENT_KINDS[spec.kind].parts(spec)[chain]) if chain else 1


class FlowKind:
    spec = FlowSpec
    summary = "A pulse through connections: vector to layer, layer to layer."
    joins = True  # it animates from one element to another (vidgen.render.camera)

    def timing(self, spec: FlowSpec, elements: Mapping[str, Any]) -> Timing:
        hops = max(1, sum(stage_count(parse_ref(text), elements) for text in spec.flow) - 1)
        natural, minimum, maximum = SECONDS_PER_HOP
        return Timing(natural * hops, minimum * hops, maximum * hops)

    def refs(self, spec: FlowSpec) -> list[tuple[str, Ref]]:
        return refs_of("flow", spec.flow)

    def effect(self, spec: FlowSpec) -> Effect:
        return Effect(needs=elements_of(spec.flow))

    def animate(self, spec: FlowSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import AnimationGroup, Indicate, ShowPassingFlash, Succession

        color = stage.theme.color(spec.color)
        groups = [group for text in spec.flow for group in stage.flow_groups(parse_ref(text))]
        hops = []
        for source, target in zip(groups, groups[1:]):
            lines = stage.connections(source, target)
            flashes = [ShowPassingFlash(line.copy().set_stroke(color, width=5, opacity=1), time_width=0.6) for line in lines]
            hops.append(
                Succession(
                    AnimationGroup(*flashes, run_time=0.7),
                    Indicate(target, color=color, scale_factor=1.06, run_time=0.3),
                )
            )
        if not hops:  # a single node group: let it glow
            hops = [Indicate(groups[0], color=color, scale_factor=1.06)]
        return [Succession(*hops, run_time=run_time)]
