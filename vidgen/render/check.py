"""The layout check: nothing leaves the safe area, nothing collides by accident.

It drives the same Stage and Timeline as the renderer, but instead of writing frames it
samples each animation (half-way and at its end) and measures every element on screen.
Two elements collide when their ink touches: boxes are compared first, and where boxes
meet, each element is drawn alone into a small mask (a label tucked under a short layer
sits inside the tower's box without touching a single neuron). An element may overlap
another only when it is placed `on` it or the scene lists the pair in `allow_overlap`;
highlight markers belong to their element and never count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np

from vidgen.elements import ELEMENT_KINDS
from vidgen.layout.box import Box
from vidgen.layout.framing import Framing
from vidgen.layout.measure import MIN_FONT_SIZE, ink_bounds
from vidgen.plan import ScenePlan
from vidgen.render.camera import Recorder, watch
from vidgen.render.frame import EDGE_BLUR, FRAME_HEIGHT, FRAME_WIDTH, HALF_HEIGHT, HALF_WIDTH, SAFE_MARGIN
from vidgen.render.dry import dry_run
from vidgen.render.scene import Timeline
from vidgen.render.stage import Stage, bounds
from vidgen.storyboard.places import parse_place
from vidgen.storyboard.refs import parse_ref

SAMPLES = (0.5, 1.0)
TOLERANCE = 0.02  # units; anti-aliasing-sized touches are not collisions
MARKER_TOLERANCE = 0.005  # units: rounding. A marker's room is kept for its ink, stroke included
FONT_TOLERANCE = 0.05  # text scaled to exactly the smallest size may round just under it
MASK_SIZE = (384, 216)  # one pixel is ~0.037 units: fine enough to see a gap between glyphs
MIN_INK_OVERLAP = 3  # pixels
MOTION_MARGIN = 0.3  # while moving, an element may dip into the safe margin, never out of the frame


@dataclass(frozen=True)
class Finding:
    scene: str
    beat: int  # 1-based, as writers count
    message: str
    elements: tuple[str, ...] = ()
    edge: str | None = None  # a safe-area finding: the edge it is past

    def __str__(self) -> str:
        return f"scene {self.scene!r}, beat {self.beat}: {self.message}"


def _allowed_pairs(stage: Stage) -> set[frozenset[str]]:
    pairs = {frozenset((parse_ref(a).element, parse_ref(b).element)) for a, b in stage.scene.allow_overlap}
    for name, spec in stage.scene.elements.items():
        place = parse_place(spec.resolved_place)
        if place.anchor == "on" and place.target:
            pairs.add(frozenset((name, place.target.element)))
        kind = ELEMENT_KINDS[spec.kind]
        if hasattr(kind, "attach"):  # a connector touches what it connects, by design
            pairs.update(frozenset((name, ref.element)) for _, ref in kind.refs(spec) if ref.element != name)
    return pairs


def _quoted(text: str, longest: int = 30) -> str:
    return repr(text if len(text) <= longest else text[: longest - 1] + "…")


def _texts(mobject: Any) -> list[Any]:
    from manim import Text

    return [m for m in mobject.get_family() if isinstance(m, Text)]


class InkMasks:
    """Each element drawn alone, small, as a boolean mask of where it puts ink."""

    def __init__(self) -> None:
        from manim.camera.camera import Camera

        width, height = MASK_SIZE
        self.camera = Camera(pixel_width=width, pixel_height=height, frame_width=FRAME_WIDTH, frame_height=FRAME_HEIGHT, background_opacity=0)

    def mask(self, mobject: Any) -> np.ndarray:
        self.camera.reset()
        self.camera.capture_mobjects([mobject])
        ink = self.camera.pixel_array[:, :, 3] > 20
        grown = ink.copy()  # one pixel of clearance: touching glyphs read as a collision
        grown[1:, :] |= ink[:-1, :]
        grown[:-1, :] |= ink[1:, :]
        grown[:, 1:] |= ink[:, :-1]
        grown[:, :-1] |= ink[:, 1:]
        return grown

    def touch(self, a: Any, b: Any) -> bool:
        return int(np.count_nonzero(self.mask(a) & self.mask(b))) >= MIN_INK_OVERLAP


def _past_edges(box: Box) -> dict[str, float]:
    """How far a box reaches past each edge of the safe area (negative: inside)."""
    return {"left": -HALF_WIDTH - box.left, "right": box.right - HALF_WIDTH, "bottom": -HALF_HEIGHT - box.bottom, "top": box.top - HALF_HEIGHT}


def inspect_stage(stage: Stage, scene_id: str, beat: int, allowed: set[frozenset[str]], masks: InkMasks, settled: bool = True) -> list[Finding]:
    """Findings for what is on screen right now; text size only once animations have
    settled (an element growing into view is small on purpose)."""
    findings = []
    boxes = {name: bounds(mobject) for name, mobject in stage.on_screen().items()}
    for name, sides in boxes.items():
        # Settled, an element's paths must stay inside with the anti-aliased half pixel at
        # their edge (a superscript flush with the edge colours the pixel the edge runs
        # through), and so must its markers' ink; a stroke's outer half (a frame's, 0.02 at
        # most) is the hair allowed. While it moves, it may dip into the safe margin.
        body = Box(*sides)
        inked = [body.grown(EDGE_BLUR), *(ink_bounds(marker).grown(EDGE_BLUR) for _, marker in stage.markers.get(name, []))] if settled else [body]
        edges = max((_past_edges(box) for box in inked), key=lambda past: max(past.values()))
        edge = max(edges, key=lambda side: edges[side])
        if edges[edge] > (MARKER_TOLERANCE if settled else SAFE_MARGIN - MOTION_MARGIN):
            findings.append(Finding(scene_id, beat, f"{name!r} leaves the safe area past its {edge} edge by {edges[edge]:.2f} units", (name,), edge))
        small = [t for t in _texts(stage.mobject(name)) if t.text.strip() and t.font_size < MIN_FONT_SIZE - FONT_TOLERANCE] if settled else []
        if small:
            smallest = min(small, key=lambda t: t.font_size)  # quoted: which cell or word it is
            words = _quoted(getattr(smallest, "original_text", smallest.text))
            findings.append(Finding(scene_id, beat, f"{name!r} has text too small to read ({words} at font size {smallest.font_size:.1f}, at least {MIN_FONT_SIZE} needed)", (name,)))
    for (a, box_a), (b, box_b) in combinations(boxes.items(), 2):
        if frozenset((a, b)) in allowed:
            continue
        overlap_x = min(box_a[1], box_b[1]) - max(box_a[0], box_b[0])
        overlap_y = min(box_a[3], box_b[3]) - max(box_a[2], box_b[2])
        if overlap_x > TOLERANCE and overlap_y > TOLERANCE and masks.touch(stage.mobject(a), stage.mobject(b)):
            findings.append(Finding(scene_id, beat, f"{a!r} and {b!r} overlap ({overlap_x:.2f} x {overlap_y:.2f} units)", (a, b)))
    return findings


def check_scene(plan: ScenePlan) -> list[Finding]:
    """Run the scene's timeline without drawing and report every layout problem once.

    What the composer could not fit is reported first, with its fix; the collisions it
    causes are not reported again."""
    return check_and_frame(plan)[0]


def check_and_frame(plan: ScenePlan) -> tuple[list[Finding], Framing]:
    """`check_scene`, and the camera's framing of each beat, recorded on the same run."""
    from vidgen.layout.advice import overflow_advice

    findings: dict[tuple[str, tuple[str, ...]], Finding] = {}
    timeline = Timeline(plan, fresh_layout=True)
    recorder = Recorder(timeline.stage, len(plan.beats))
    record = watch(timeline, recorder)
    explained: set[str] = set()
    for advice in overflow_advice(timeline.stage.layout):
        findings[(advice.message, advice.elements)] = Finding(plan.id, advice.beat + 1, advice.message, advice.elements)
        explained.update(advice.elements)
    masks = InkMasks()

    def inspect(timeline: Timeline, settled: bool) -> None:
        beat = timeline.current.beat + 1 if timeline.current else 1
        for message, elements in timeline.stage.problems:
            findings.setdefault((message, elements), Finding(plan.id, beat, message, elements))
        noted = [set(elements) for _, elements in timeline.stage.problems]
        for finding in inspect_stage(timeline.stage, plan.id, beat, _allowed_pairs(timeline.stage), masks, settled):
            if explained.intersection(finding.elements) or any(set(finding.elements) <= elements for elements in noted):
                continue  # already said, with its cause
            # One finding per problem and elements: the first moment it happens is enough.
            findings.setdefault(_key(finding), finding)

    _sample(plan, timeline, inspect, record)
    baseline: set[tuple[str, tuple[str, ...]]] | None = None
    for key, finding in findings.items():
        if finding.edge is not None:
            baseline = _problems(plan, masks) if baseline is None else baseline  # as a trial counts them
            findings[key] = _with_fixes(plan, timeline, finding, baseline, masks)
    return list(findings.values()), recorder.framing(plan)


def _key(finding: Finding) -> tuple[str, tuple[str, ...]]:
    """What a finding is about, without its numbers: one finding per problem and elements."""
    return finding.message.split(" (")[0].split(" by ")[0], finding.elements


def _with_fixes(plan: ScenePlan, timeline: Timeline, finding: Finding, problems: set[tuple[str, tuple[str, ...]]], masks: InkMasks) -> Finding:
    """A safe-area finding with what would fix it, each fix tried: the scene, drawn again with
    the change, has none of the findings it had about this element and no new one."""
    from dataclasses import replace

    from vidgen.layout.advice import edge_fixes

    remaining = problems - {_key(finding)}

    def clean(elements: dict[str, Any]) -> bool:
        scene = plan.scene.model_copy(update={"elements": elements})
        changed = replace(plan, scene=scene, chain=tuple(scene if s is plan.scene else s for s in plan.chain), framing=None)
        try:
            return _problems(changed, masks) <= remaining
        except Exception:  # noqa: BLE001 — a change the drawing cannot take (a brace side its parts lack) is no fix
            return False

    fixes = edge_fixes(timeline.stage.layout, finding.elements[0], dict(plan.scene.elements), clean)
    if not fixes:
        return finding
    return replace(finding, message=f"{finding.message}; {' or '.join(fixes)}")


def _problems(plan: ScenePlan, masks: InkMasks) -> set[tuple[str, tuple[str, ...]]]:
    """The keys of what the check finds in `plan` (what does not fit: by the elements named)."""
    timeline = Timeline(plan, fresh_layout=True)
    found: set[tuple[str, tuple[str, ...]]] = set()
    layout = timeline.stage.layout.composition.layout
    for cluster, _, _, _, visible in layout.overflows if layout is not None else []:
        found.add(("does not fit", tuple(sorted(str(m.element) for m in cluster.members if id(m) in visible))))

    def inspect(timeline: Timeline, settled: bool) -> None:
        beat = timeline.current.beat + 1 if timeline.current else 1
        found.update((message, elements) for message, elements in timeline.stage.problems)
        found.update(_key(f) for f in inspect_stage(timeline.stage, plan.id, beat, _allowed_pairs(timeline.stage), masks, settled))

    _sample(plan, timeline, inspect)
    return found


def _sample(plan: ScenePlan, timeline: Timeline, inspect: Callable[[Timeline, bool], None], after_step: Callable[[Any], None] = lambda slot: None) -> None:
    """Run the scene without drawing, inspecting what is on screen before anything moves,
    half-way through and at the end of every animation (settled at the end), and after
    every action (then `after_step` too)."""

    def on_step(timeline: Timeline, canvas: Any, slot: Any) -> None:
        inspect(timeline, True)
        after_step(slot)

    inspect(timeline, True)
    dry_run(plan, SAMPLES, lambda timeline, canvas, alpha: inspect(timeline, alpha >= 1.0), on_step, timeline)
