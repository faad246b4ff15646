"""The mux stage: narration track, one stream-copied video, subtitles, chapters, contact sheet."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from vidgen.media import (
    Chapter,
    assemble_narration,
    concat_clips,
    contact_sheet,
    encode_aac,
    make_cues,
    mux,
    write_chapters_txt,
    write_srt,
    write_vtt,
)
from vidgen.executors import give_back_memory
from vidgen.media.burn import burn_captions
from vidgen.media.narration import MIX_FORMAT, encode_in_pieces, mix
from vidgen.plan import Plan, ScenePlan, frame_time
from vidgen.speech.audio import RATE
from vidgen.speech.base import Cue, WordTiming


@dataclass(frozen=True)
class Outputs:
    video: Path
    srt: Path
    vtt: Path
    chapters: Path


def chapters_of(plan: Plan) -> list[Chapter]:
    fps = plan.quality.fps
    return [Chapter(s.scene.title, s.start / fps, (s.start + s.frames) / fps) for s in plan.scenes]


def narration_timeline(plan: Plan) -> tuple[list[tuple[Path, float]], list[Cue], list[WordTiming]]:
    """Each beat's WAV at its start, and its sentences and words on the video's clock."""
    fps = plan.quality.fps
    placements, sentences, words = [], [], []
    for scene in plan.scenes:
        for beat in scene.beats:
            start = (scene.start + beat.start) / fps
            placements.append((beat.speech.wav, start))
            sentences += [Cue(c.text, start + c.start, start + c.end) for c in beat.speech.sentences]
            words += [WordTiming(w.text, start + w.start, start + w.end) for w in beat.speech.words]
    return placements, sentences, words


def _beat_frames(plan: Plan) -> list[tuple[ScenePlan, int, str]]:
    """Per beat: its scene, the scene frame just after its last action has finished, and a caption."""
    fps = plan.quality.fps
    found = []
    for scene in plan.scenes:
        for beat in scene.beats:
            frame = scene.key_frame(beat.index)
            found.append((scene, frame, f"{scene.scene.title} · {beat.index + 1} ({beat.frames / fps:.1f} s): {beat.speech.text}"))
    return found


def key_moments(plan: Plan) -> list[tuple[float, str]]:
    """One moment per beat for the contact sheet, on the video's clock, with its caption."""
    fps = plan.quality.fps
    return [(frame_time(scene.start + frame, fps), caption) for scene, frame, caption in _beat_frames(plan)]


LONG_MIX = 60 * RATE  # samples mixed, above which their memory is handed back at once


def narration_audio(plan: Plan, work_dir: Path, cache: Path | None = None) -> Path:
    """The narration track, mixed and encoded: it needs the speech and the plan only, so a
    build makes it while the scenes render. With a `cache`, scene by scene (see
    scene_by_scene)."""
    audio, mixed = _mixed_and_encoded(plan, work_dir, cache)
    if mixed > LONG_MIX:
        give_back_memory()  # the mix's arrays (160 MB at its peak for the autoencoder's 3 minutes), while the workers render
    return audio


def scene_by_scene(plan: Plan, work_dir: Path, cache: Path) -> tuple[Path | None, int]:
    """The narration encoded scene by scene, each scene's sound kept in `cache` by what it
    is made from, so a one-beat edit mixes and encodes one scene's sound, not the whole
    track; and how many samples were mixed. None when the track must be encoded whole: a
    music bed runs across the scenes' joins, and a join needs silence at the end of the
    scene before it."""
    fps = plan.quality.fps
    if plan.music is not None or RATE % fps:
        return None, 0
    per_frame = RATE // fps
    pieces, sources, mixed = [], [], []

    def mixing(placements: list[tuple[Path, int]], length: int) -> Any:
        mixed.append(length)
        return mix(placements, length)

    for scene in plan.scenes:
        placements = [(beat.speech.wav, beat.start * per_frame) for beat in scene.beats]
        pieces.append((partial(mixing, placements, scene.frames * per_frame), scene.start * per_frame))
        # What the scene's sound is made from: each beat's WAV (its bytes) at its sample.
        sources.append(json.dumps([MIX_FORMAT, scene.frames * per_frame, [[_digest(wav), first] for wav, first in placements]]))
    return encode_in_pieces(pieces, plan.frames * per_frame, work_dir / "narration.m4a", cache, sources), sum(mixed)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mixed_and_encoded(plan: Plan, work_dir: Path, cache: Path | None) -> tuple[Path, int]:
    """The narration track, and how many samples were mixed for it."""
    work_dir.mkdir(parents=True, exist_ok=True)
    joined, mixed = scene_by_scene(plan, work_dir, cache) if cache is not None else (None, 0)
    if joined is not None:
        return joined, mixed
    placements, _, _ = narration_timeline(plan)
    narration = assemble_narration(placements, plan.seconds, work_dir / "narration.wav", plan.music)
    return encode_aac(narration, work_dir / "narration.m4a"), round(plan.seconds * RATE)


def assemble(plan: Plan, clips: Mapping[str, Sequence[Path]], folder: Path, work_dir: Path, burn: bool = False, audio: Path | Future[Path] | None = None) -> Outputs:
    """Write the finished video and its companions into `folder`; `clips` are each scene's
    segments, in order; `audio` the narration_audio already made, or being made (waited for
    once the segments are joined), or None (made here)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    video: Path | list[Path] = [clip for scene in plan.scenes for clip in clips[scene.id]]
    _, sentences, words = narration_timeline(plan)
    cues = make_cues(sentences, words, plan.language)
    if burn:
        silent = concat_clips(video, work_dir / "video.mp4", plan.frames)
        video = burn_captions(silent, write_srt(cues, work_dir / "captions.srt"), work_dir / "captioned.mp4")
    if audio is None:
        audio = narration_audio(plan, work_dir)
    chapters = chapters_of(plan)
    folder.mkdir(parents=True, exist_ok=True)
    # The clips are joined while the narration (a Future) is still being made.
    video = mux(video, audio, folder / f"{plan.name}.mp4", chapters=chapters, metadata={"title": plan.title, "language": plan.language})
    outputs = Outputs(
        video=video,
        srt=write_srt(cues, folder / f"{plan.name}.srt"),
        vtt=write_vtt(cues, folder / f"{plan.name}.vtt"),
        chapters=write_chapters_txt(chapters, folder / "chapters.txt"),
    )
    return outputs


def _segment_of(scene: ScenePlan, frame: int) -> int:
    return next(beat.index for beat in scene.beats if beat.start <= frame < beat.start + beat.frames)


def write_contact_sheet(plan: Plan, video: Path, sources: Sequence[tuple[Path, float]] | None = None, thumbs_dir: Path | None = None) -> Path:
    """One frame per beat, captioned with its narration and length, beside the video. With
    the beats' `sources` (beat_sources: the video shows the segments unchanged), frames come
    from the segments and are kept in `thumbs_dir`: after a one-beat edit only that beat's frame is decoded."""
    return contact_sheet(video, key_moments(plan), video.parent / "contact_sheet.png", sources=sources or None, thumbs_dir=thumbs_dir)


def beat_sources(plan: Plan, clips: Mapping[str, Sequence[Path]]) -> list[tuple[Path, float]]:
    """For each key moment (one per beat), the segment and the time in it that show the
    video's frame there: seeking in a short, content-named segment is cheap, and what is
    taken from it can be kept by its name."""
    fps = plan.quality.fps
    sources = []
    for scene, frame, _ in _beat_frames(plan):
        beat = scene.beats[_segment_of(scene, frame)]
        sources.append((clips[scene.id][beat.index], frame_time(frame - beat.start, fps)))
    return sources
