"""How much of the frame a beat's picture uses: the share of the safe area its content
spans (the union of what is on screen when the beat has settled; its width or its height,
whichever is the larger share). A full frame reads from a phone; a lone small vector in the
middle of 1080p does not. The benchmark reports it for every beat (bench/run.py)."""

from __future__ import annotations

from typing import Any

from vidgen.layout.box import union_of
from vidgen.layout.dock import SAFE
from vidgen.layout.measure import bounds


def content_span(stage: Any) -> float | None:
    """The share of the safe area spanned by what is on screen (None: nothing is)."""
    union = union_of(bounds(mobject) for mobject in stage.on_screen().values())
    if union is None or union.width <= 0 and union.height <= 0:
        return None
    return max(union.width / SAFE.width, union.height / SAFE.height)


def beat_spans(plan: Any) -> list[float | None]:
    """`content_span` at the end of each beat of a scene (after its last action)."""
    from vidgen.render.dry import dry_run

    last = {}
    for position, slot in enumerate(plan.slots):
        last[slot.beat] = position
    spans: dict[int, float | None] = {}

    def on_step(timeline: Any, canvas: Any, slot: Any) -> None:
        if last.get(slot.beat) == plan.slots.index(slot):
            spans[slot.beat] = content_span(timeline.stage)

    dry_run(plan, (1.0,), lambda timeline, canvas, alpha: None, on_step)
    return [spans.get(beat.index) for beat in plan.beats]
