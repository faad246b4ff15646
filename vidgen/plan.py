"""The timed plan: speech lengths in, every beat's and action's frames out.

Speech comes first: a beat lasts as long as its narration plus a pause, or longer if its
actions need more. Actions run one after another and share the beat: each gets a slot in
proportion to its natural length, runs for that slot clamped to what suits it, and holds
for the rest. `at: mark` starts an action on a word; the actions before it share the time
up to that word. Times are whole frames so the clip Manim renders and the narration laid
under it can never drift apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from vidgen.actions import ACTION_KINDS
from vidgen.actions.base import ActionSpec
from vidgen.elements import ELEMENT_KINDS
from vidgen.errors import StoryboardError
from vidgen.identity import digest, layout_identity, segment_identity
from vidgen.layout.framing import Framing
from vidgen.quality import Quality
from vidgen.speech.base import BeatSpeech
from vidgen.storyboard.model import Beat, Music, Scene, Storyboard

OUTRO_SECONDS = 0.5  # the closing fade of a scene, inside its last pause
_WORDS = {"beats": {"__all__": {"say", "pause"}}}  # what the narration owns, not the picture


def picture_of(scene: Scene) -> Any:
    """What a scene draws and does, without what it says (the narration's words and pauses)."""
    return scene.model_dump(mode="json", exclude=_WORDS)


@dataclass(frozen=True)
class ActionSlot:
    """An action and the frames (scene-relative) in which it animates."""

    beat: int
    index: int
    start: int
    frames: int
    action: ActionSpec

    @property
    def end(self) -> int:
        return self.start + self.frames


@dataclass(frozen=True)
class BeatPlan:
    index: int
    start: int  # frame, scene-relative
    frames: int
    speech: BeatSpeech


def frame_time(frame: int, fps: int) -> float:
    """The middle of frame `frame`, in seconds: a seek to it lands on that frame."""
    return (frame + 0.5) / fps


@dataclass(frozen=True)
class ScenePlan:
    """Everything needed to render one scene's clip, and nothing more."""

    index: int
    scene: Scene
    theme: str
    quality: Quality
    start: int  # frame, video-relative
    frames: int
    beats: tuple[BeatPlan, ...]
    slots: tuple[ActionSlot, ...]
    outro_frames: int
    # The scenes composed with this one (it among them): a run joined by `outro: keep`,
    # where what carries over must keep its spot. Their pictures shape this one's layout.
    chain: tuple[Scene, ...] = ()
    chain_index: int = 0
    # How the camera frames each beat: recorded by the layout check (None until then;
    # a render without it records it first, see vidgen.render.camera).
    framing: Framing | None = None

    @property
    def id(self) -> str:
        return self.scene.id

    @property
    def seconds(self) -> float:
        return self.frames / self.quality.fps

    @cached_property
    def file_fingerprints(self) -> dict[str, str]:
        """Content of files elements draw (images), which the spec only names."""
        prints = {}
        for name, spec in self.scene.elements.items():
            kind = ELEMENT_KINDS[spec.kind]
            if hasattr(kind, "fingerprint"):
                prints[name] = kind.fingerprint(spec)
        return prints

    def key_frame(self, beat: int) -> int:
        """The frame that shows beat `beat` (the contact sheet's, the preview page's): just
        after its last action has finished. When that action ends with the beat, the frame
        after it is the next beat's first (which still shows this beat's last picture: every
        animation starts where the picture is), or the closing fade's first (not yet fading);
        only the last frame of a scene without a fade can show an action unfinished."""
        planned = self.beats[beat]
        ends = [slot.end for slot in self.slots if slot.beat == beat]
        if not ends:
            return planned.start + planned.frames // 2
        return min(max(ends), self.frames - self.outro_frames if self.outro_frames else self.frames - 1)

    def key_frames_in(self, beat: int) -> list[int]:
        """Key frames that beat `beat`'s segment shows, as frames of that segment."""
        planned = self.beats[beat]
        return [frame - planned.start for frame in (self.key_frame(b.index) for b in self.beats) if planned.start <= frame < planned.start + planned.frames]

    def layout_key(self) -> str:
        """Identity of the layout check's result: the scene's pictures, not its words or timing.

        Actions are sampled at fixed fractions of their run and keep their storyboard order,
        so the geometry checked depends neither on the narration nor on how long it took:
        a writer editing words never waits for a layout check (see vidgen.identity)."""
        return digest(layout_identity(self))

    def segment_key(self, beat: int) -> str:
        """Identity of beat `beat`'s segment of the clip (see vidgen.identity)."""
        return digest(segment_identity(self, beat))

    @cached_property
    def chain_pictures(self) -> list[Any]:
        """What the scenes composed with this one draw, and the files they draw (their words
        and timing do not matter): where this scene's elements go depends on all of it."""
        files = [{name: ELEMENT_KINDS[spec.kind].fingerprint(spec) for name, spec in scene.elements.items() if hasattr(ELEMENT_KINDS[spec.kind], "fingerprint")} for scene in self.chain]
        return [self.chain_index, [picture_of(scene) for scene in self.chain], files]

    def cache_key(self) -> str:
        """Identity of the whole clip: its segments'."""
        return digest([self.segment_key(beat.index) for beat in self.beats])


@dataclass(frozen=True)
class Plan:
    name: str
    title: str
    language: str
    quality: Quality
    scenes: tuple[ScenePlan, ...]
    music: Music | None = None

    @property
    def frames(self) -> int:
        return sum(scene.frames for scene in self.scenes)

    @property
    def seconds(self) -> float:
        return self.frames / self.quality.fps


def _share(total: float, naturals: list[float], minimums: list[float]) -> list[float]:
    """Split `total` in proportion to `naturals`, raising any share below its minimum."""
    shares = [0.0] * len(naturals)
    free = list(range(len(naturals)))
    remaining = total
    while free:
        weight = sum(naturals[i] for i in free) or 1.0
        short = [i for i in free if remaining * naturals[i] / weight < minimums[i]]
        if not short:
            for i in free:
                shares[i] = remaining * naturals[i] / weight
            break
        for i in short:
            shares[i] = minimums[i]
            remaining -= minimums[i]
            free.remove(i)
    return shares


def _minimums(actions: list[ActionSpec], elements: dict) -> list[float]:
    """The least time each action can have: its own run_time, or its kind's minimum."""
    return [a.run_time if a.run_time is not None else ACTION_KINDS[a.kind].timing(a, elements).minimum for a in actions]


def _schedule_group(actions: list[ActionSpec], span: float | None, elements: dict) -> list[tuple[float, float]]:
    """(slot, run) seconds per action of a group; `span` None means as long as they need."""
    timings = [ACTION_KINDS[a.kind].timing(a, elements) for a in actions]
    fixed = [a.run_time for a in actions]
    naturals = [t.natural for t in timings]
    minimums = _minimums(actions, elements)
    if span is None:
        span = sum(f if f is not None else t.natural for f, t in zip(fixed, timings))
    if sum(minimums) > span:
        # Not enough room before the next mark: the mark wins, actions are squeezed.
        slots = [span * m / sum(minimums) for m in minimums]
        return [(s, s) for s in slots]
    free = [i for i, f in enumerate(fixed) if f is None]
    slots = [f or 0.0 for f in fixed]
    for i, share in zip(free, _share(span - sum(f or 0.0 for f in fixed), [naturals[i] for i in free], [minimums[i] for i in free])):
        slots[i] = share
    runs = [slot if fixed[i] is not None else min(slot, timings[i].maximum) for i, slot in enumerate(slots)]
    return list(zip(slots, runs))


def schedule_beat(beat: Beat, speech: BeatSpeech, pause: float, fps: int, elements: dict, tail: float = 0.0) -> tuple[int, list[ActionSlot]]:
    """Frames of one beat and the slots of its actions, beat-relative."""
    spoken = speech.duration + pause
    groups: list[tuple[float, list[tuple[int, ActionSpec]]]] = []
    for index, action in enumerate(beat.do):
        if action.at is not None or not groups:
            start = speech.marks.get(action.at, 0.0) if action.at else 0.0
            if groups and start < groups[-1][0]:
                raise StoryboardError.single(
                    f"beat {beat.say[:40]!r}: action {index + 1} starts at mark {action.at!r}, "
                    "which is spoken before the previous action's mark; list actions in the order they happen"
                )
            groups.append((start, []))
        groups[-1][1].append((index, action))
    slots: list[ActionSlot] = []
    end = 0.0
    for number, (start, members) in enumerate(groups):
        last = number == len(groups) - 1
        limit = groups[number + 1][0] if not last else max(spoken - tail, start)
        actions = [a for _, a in members]
        needed = sum(_minimums(actions, elements))
        span = limit - start if (not last or limit - start >= needed) else None
        t = start
        for (index, action), (slot, run) in zip(members, _schedule_group(actions, span, elements)):
            first, last_frame = round(t * fps), round((t + run) * fps)
            slots.append(ActionSlot(0, index, first, max(1, last_frame - first), action))
            t += slot
        end = max(end, t)
    frames = max(math.ceil(spoken * fps), math.ceil((end + tail) * fps), max((s.end for s in slots), default=0))
    return frames, slots


def chains(scenes: list[Scene]) -> list[tuple[tuple[Scene, ...], int]]:
    """Per scene: the run of scenes it is composed with, and its index in that run. A scene
    that keeps its picture (`outro: keep`) runs on into the next when that one continues
    some element (`visible: true`)."""
    runs: list[list[Scene]] = []
    for index, scene in enumerate(scenes):
        joined = index > 0 and scenes[index - 1].outro == "keep" and any(spec.visible for spec in scene.elements.values())
        if joined:
            runs[-1].append(scene)
        else:
            runs.append([scene])
    return [(tuple(run), position) for run in runs for position in range(len(run))]


def make_plan(name: str, storyboard: Storyboard, speech: list[list[BeatSpeech]], quality: Quality) -> Plan:
    """The timed plan of a whole storyboard, given each scene's beat speech."""
    scenes, video_frame = [], 0
    runs = chains(list(storyboard.scenes))
    for scene_index, (scene, scene_speech) in enumerate(zip(storyboard.scenes, speech)):
        beats, slots, frame = [], [], 0
        outro = round(OUTRO_SECONDS * quality.fps) if scene.outro == "fade" else 0
        for beat_index, (beat, beat_speech) in enumerate(zip(scene.beats, scene_speech)):
            pause = storyboard.pause if beat.pause is None else beat.pause
            is_last = beat_index == len(scene.beats) - 1
            frames, beat_slots = schedule_beat(beat, beat_speech, pause, quality.fps, scene.elements, tail=outro / quality.fps if is_last else 0.0)
            beats.append(BeatPlan(beat_index, frame, frames, beat_speech))
            slots.extend(ActionSlot(beat_index, s.index, frame + s.start, s.frames, s.action) for s in beat_slots)
            frame += frames
        chain, position = runs[scene_index]
        scenes.append(ScenePlan(scene_index, scene, storyboard.theme, quality, video_frame, frame, tuple(beats), tuple(slots), outro, chain, position))
        video_frame += frame
    return Plan(name, storyboard.title, storyboard.language, quality, tuple(scenes), storyboard.music)
