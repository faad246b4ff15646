"""How much of the frame a beat's picture uses: the share of the safe area its content
spans on screen (the union of what is on screen when the beat has settled, as the camera
frames it; its width or its height, whichever is the larger share). A full frame reads
from a phone; a lone small vector in the middle of 1080p does not. The benchmark reports
it for every beat (bench/layout.py)."""

from __future__ import annotations

from typing import Any

from vidgen.layout.box import union_of
from vidgen.layout.dock import SAFE
from vidgen.layout.framing import WHOLE, Shot
from vidgen.layout.measure import bounds


def content_span(stage: Any, main: bool = True, shot: Shot = WHOLE, fixed: frozenset[str] = frozenset()) -> float | None:
    """The share of the safe area spanned by what is on screen (None: nothing is), as the
    camera's `shot` shows it (the `fixed` elements stay put). The main content leaves out
    the words in the top and bottom bands (headings, captions, corner notes), which frame
    the picture rather than make it."""
    shown = stage.on_screen()
    if main:
        shown = {name: mobject for name, mobject in shown.items() if not _framing(stage, name)}
    union = union_of(bounds(mobject) if name in fixed else shot.to_screen(bounds(mobject)) for name, mobject in shown.items())
    if union is None or union.width <= 0 and union.height <= 0:
        return None
    return max(union.width / SAFE.width, union.height / SAFE.height)


def _framing(stage: Any, name: str) -> bool:
    """Whether an element is words in a band (a connector never is: it joins the content)."""
    band = stage.layout.band(name, stage.step)
    measure = stage.layout.local.get(name)
    return band not in (None, "middle") and measure is not None and measure.wordy


def beat_spans(plan: Any, main: bool = True) -> list[float | None]:
    """`content_span` at the end of each beat of a scene (after its last action), on screen."""
    from vidgen.render.camera import framing_of
    from vidgen.render.dry import dry_run
    from vidgen.render.scene import Timeline

    last = {}
    for position, slot in enumerate(plan.slots):
        last[slot.beat] = position
    spans: dict[int, float | None] = {}

    def on_step(timeline: Any, canvas: Any, slot: Any) -> None:
        if last.get(slot.beat) == plan.slots.index(slot):
            spans[slot.beat] = content_span(timeline.stage, main, timeline.shot, framing.fixed)

    framing = framing_of(plan)
    dry_run(plan, (1.0,), lambda timeline, canvas, alpha: None, on_step, Timeline(plan, framing=framing))
    return [spans.get(beat.index) for beat in plan.beats]
