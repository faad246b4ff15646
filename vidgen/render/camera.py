"""The camera that frames each beat (vidgen.layout.framing), on Manim's moving camera.

What a scene's camera does is decided once per scene from a dry run of its timeline: the
layout check records it (so a build knows it before any segment is drawn), and a render
without a check (a still, a test) records it itself. The same recording gives the same
framing either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from manim import Animation, Rectangle, smooth
from manim.camera.moving_camera import MovingCamera
from manim.utils.family import extract_mobject_family_members

from vidgen.actions import ACTION_KINDS
from vidgen.elements import ELEMENT_KINDS
from vidgen.layout.framing import WHOLE, BeatView, Framing, Shot, frame_beats
from vidgen.layout.measure import bounds
from vidgen.render.frame import FRAME_HEIGHT, FRAME_WIDTH


def new_frame(shot: Shot = WHOLE) -> Rectangle:
    """The rectangle the camera shows (never drawn itself)."""
    frame = Rectangle(width=FRAME_WIDTH, height=FRAME_HEIGHT, stroke_width=0, fill_opacity=0)
    return place_frame(frame, shot)


def place_frame(frame: Any, shot: Shot) -> Any:
    frame.stretch_to_fit_width(FRAME_WIDTH / shot.zoom)
    frame.stretch_to_fit_height(FRAME_HEIGHT / shot.zoom)
    frame.move_to([shot.x, shot.y, 0])
    return frame


class Reframe(Animation):
    """The camera's move from one shot to another, over the first `share` of the animation
    it plays beside (a beat's first action), or over the whole of its own play."""

    def __init__(self, frame: Any, start: Shot, end: Shot, share: float = 1.0) -> None:
        self.start_shot, self.end_shot = start, end
        share = max(min(share, 1.0), 1e-3)
        super().__init__(frame, rate_func=lambda t: smooth(min(1.0, t / share)))

    def interpolate_mobject(self, alpha: float) -> None:
        place_frame(self.mobject, self.start_shot.toward(self.end_shot, self.rate_func(alpha)))


class FramingCamera(MovingCamera):
    """Manim's moving camera, except for the mobjects `fixed_in_frame` names: those are drawn
    where the whole frame would show them (words in the bands stay put while the picture
    between them is framed closer)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Asked at each capture (markers join an element's family as it plays): a predicate
        # on mobjects, for those drawn where the whole frame would show them.
        self.fixed_in_frame: Callable[[], Callable[[Any], bool]] = lambda: lambda mobject: False

    def capture_mobjects(self, mobjects: Iterable[Any], **kwargs: Any) -> None:
        # Sorted piece by piece: an animation may hold part of a band's words in a group of
        # its own (an indicate of a heading), and that part must still be drawn put.
        fixed_in_frame = self.fixed_in_frame()
        pieces = extract_mobject_family_members(list(mobjects), use_z_index=self.use_z_index, only_those_with_points=True)
        fixed = [m for m in pieces if fixed_in_frame(m)]
        if not fixed:
            super().capture_mobjects(mobjects, **kwargs)
            return
        kwargs["include_submobjects"] = False
        super().capture_mobjects([m for m in pieces if not fixed_in_frame(m)], **kwargs)
        framed = self.frame.points.copy()
        place_frame(self.frame, WHOLE)
        try:
            super().capture_mobjects(fixed, **kwargs)
        finally:
            self.frame.points = framed


def fixed_elements(stage: Any) -> frozenset[str]:
    """The scene's elements that stay put on screen while the camera frames the picture:
    what is placed in the top and bottom bands (a heading, a caption, a corner note, a
    formula under the picture), and the connectors between them. Whatever is joined to the
    picture is framed with it instead: an element placed next to a picture element, joined
    to one by an arrow or a brace, or by an action that animates from one to the other (a
    move, a flow, a replace: see ActionKind), and one that goes between a band and the
    middle. A scene with nothing in the middle has its picture in the bands: then only
    words stay put (a heading, a caption, a number), not a diagram."""
    layout = stage.layout
    story, keys = layout.story, layout.story.keys[layout.scene]
    by_key = {key: name for name, key in keys.items()}
    bands: dict[str, set[str]] = {}
    links: list[set[str]] = []  # elements that must be framed alike
    for placement in story.placements:
        name = by_key.get(placement.element)
        if name is None or placement.index not in layout.composition.bands:
            continue
        bands.setdefault(name, set()).add(layout.composition.bands[placement.index])
        target = placement.place.target
        if target is not None and target.element in keys:
            links.append({name, target.element})
    connectors: dict[str, set[str]] = {}
    for name, spec in stage.scene.elements.items():
        kind = ELEMENT_KINDS[spec.kind]
        if hasattr(kind, "attach"):
            connectors[name] = {ref.element for _, ref in kind.refs(spec)}
            links.append(connectors[name])
    joined: dict[int, set[str]] = {}
    for name, key in keys.items():
        for action in story.actions.get(key, []):
            if getattr(ACTION_KINDS[action.kind], "joins", False):
                joined.setdefault(id(action), set()).add(name)
    links += joined.values()
    fixed = {name for name, found in bands.items() if "middle" not in found}
    if not any("middle" in found for found in bands.values()):
        # Nothing in the middle: the picture is in the bands, and only words stay put.
        fixed = {name for name in fixed if name in layout.local and layout.local[name].wordy}
    settled = False
    while not settled:  # a link with one member in the picture takes the others into it
        settled = True
        for link in links:
            if link & fixed and link - fixed:
                fixed -= link
                settled = False
    return frozenset(fixed | {name for name, ends in connectors.items() if ends and ends <= fixed})


class Recorder:
    """Watches a dry run of a scene and frames its beats from what each one shows."""

    def __init__(self, stage: Any, beats: int) -> None:
        self.fixed = fixed_elements(stage)
        self.views = [BeatView() for _ in range(beats)]

    def see(self, stage: Any, beat: int) -> None:
        """What is on screen now belongs to beat `beat` (and, if it stays, to the next)."""
        view = self.views[beat]
        for name, mobject in stage.on_screen().items():
            box = bounds(mobject)
            if name in self.fixed:
                view.word(box)
            else:
                view.add(box)

    def framing(self, plan: Any) -> Framing:
        if plan.scene.camera == "still":
            return Framing(beats=tuple(WHOLE for _ in plan.beats))
        return frame_beats(self.views, self.fixed, continues=plan.chain_index > 0, continued=plan.chain_index < len(plan.chain) - 1)


def watch(timeline: Any, recorder: Recorder) -> Callable[[Any], None]:
    """An `on_step` for a dry run: each settled step counts for its beat, and what is on
    screen when a beat ends counts for the next one too (it is there when that one starts)."""
    recorder.see(timeline.stage, 0)
    last: dict[int, int] = {}
    for s in timeline.plan.slots:
        last[s.beat] = max(last.get(s.beat, s.index), s.index)

    def on_step(slot: Any) -> None:
        recorder.see(timeline.stage, slot.beat)
        if slot.index == last[slot.beat] and slot.beat + 1 < len(recorder.views):
            recorder.see(timeline.stage, slot.beat + 1)

    return on_step


def plan_framing(plan: Any) -> Framing:
    """The scene's framing, from a dry run of its own (when the layout check has not
    recorded it)."""
    from vidgen.render.dry import dry_run
    from vidgen.render.scene import Timeline

    timeline = Timeline(plan)
    recorder = Recorder(timeline.stage, len(plan.beats))
    on_step = watch(timeline, recorder)
    dry_run(plan, (1.0,), lambda timeline, canvas, alpha: None, lambda timeline, canvas, slot: on_step(slot), timeline)
    return recorder.framing(plan)


_framed: dict[str, Framing] = {}  # by what the check measures: a scene's stills share one recording


def framing_of(plan: Any) -> Framing:
    """The framing the check recorded, or one recorded here (once per scene's pictures)."""
    if plan.framing is not None:
        return plan.framing
    key = plan.layout_key()
    if key not in _framed:
        _framed[key] = plan_framing(plan)
    return _framed[key]
