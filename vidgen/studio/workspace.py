"""The studio's view of one storyboard: its file (and the version the page edits), its beats,
the last preview built from it, and saving one beat's narration back.

A version is a hash of the file's bytes. The page sends the version its text came from;
a save against any other version is refused, so an edit made in a text editor meanwhile is
never overwritten: the page shows the file's text beside the writer's and lets them choose.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vidgen.errors import VidgenError
from vidgen.limits import Limits
from vidgen.paths import write_atomic
from vidgen.speech.estimate import estimate_speech
from vidgen.storyboard.narration import parse_narration
from vidgen.studio.editing import EditRefused, narration_text, replace_narration
from vidgen.studio.findings import BeatFinding


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Snapshot:
    """The storyboard file as read at one moment."""

    text: str
    version: str

    def data(self) -> dict[str, Any] | None:
        """The file's values, or None while it is not a storyboard-shaped YAML mapping."""
        try:
            data = yaml.load(self.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            return None
        return data if isinstance(data, dict) else None

    def narration(self, scene_id: str, beat: int) -> str | None:
        """That beat's narration as written, or None if the file has no such beat now."""
        data = self.data() or {}
        for scene in data.get("scenes") or []:
            if isinstance(scene, dict) and scene.get("id") == scene_id:
                beats = scene.get("beats") or []
                if 0 <= beat < len(beats) and isinstance(beats[beat], dict):
                    return narration_text(beats[beat].get("say"), _language(data))
        return None


def _language(data: dict[str, Any]) -> str:
    language = data.get("language")
    return language if isinstance(language, str) else "en"


class Conflict(VidgenError):
    """The file changed since the page loaded it: nothing was written."""

    def __init__(self, current: str | None, version: str) -> None:
        super().__init__("the storyboard was changed in the file since this page loaded it")
        self.current = current  # that beat's narration in the file now (None: the beat is gone)
        self.version = version


class Workspace:
    """One storyboard, its preview folder and cache; safe to use from several threads."""

    def __init__(self, storyboard: Path, out_dir: Path, cache_dir: Path, limits: Limits | None = None) -> None:
        self.path = storyboard.resolve()
        self.out_dir = out_dir.resolve()
        self.cache_dir = cache_dir.resolve()
        self.limits = limits or Limits.from_environment()
        self.lock = threading.RLock()
        self.page: Path | None = None  # the review page of the last finished preview build
        self.build = 0  # how many previews this studio has finished
        self.findings: list[BeatFinding] = []
        self.findings_version: str | None = None
        self.written: str | None = None  # the version this studio wrote last (the watcher's not news)

    def read(self) -> Snapshot:
        most = self.limits.file_kb * 1024
        with open(self.path, "rb") as stream:
            raw = stream.read(most + 1)
        if len(raw) > most:
            raise EditRefused(f"{self.path.name} is larger than {self.limits.file_kb:,} KB, the limit")
        return Snapshot(raw.decode("utf-8", errors="replace"), version_of(raw))

    def save(self, scene_id: str, beat: int, say: str, version: str) -> Snapshot:
        """Write that beat's narration if the file is still at `version`; else Conflict."""
        with self.lock:
            current = self.read()
            if current.version != version:
                raise Conflict(current.narration(scene_id, beat), current.version)
            language = _language(current.data() or {})
            edited = replace_narration(current.text, scene_id, beat, say, language)
            mode = os.stat(self.path).st_mode & 0o7777
            self.written = version_of(edited.encode("utf-8"))
            write_atomic(self.path, edited.encode("utf-8"))
            os.chmod(self.path, mode)  # the writer's file keeps its permissions
            return Snapshot(edited, version_of(edited.encode("utf-8")))

    def finished(self, page: Path) -> None:
        with self.lock:
            self.page = page
            self.build += 1

    def preview_folder(self) -> Path | None:
        with self.lock:
            return self.page.parent if self.page else None

    def report(self) -> dict[str, Any] | None:
        folder = self.preview_folder()
        try:
            return json.loads((folder / "build.json").read_text()) if folder else None
        except (OSError, ValueError):
            return None

    def state(self) -> dict[str, Any]:
        """Everything the page shows, as JSON: beats with their text, frame and length,
        the findings, and the video to play."""
        snapshot = self.read()
        data = snapshot.data()
        report = self.report()
        with self.lock:
            build, findings = self.build, [f.to_json() for f in self.findings]
        measured: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
        number = 0
        for scene in (report or {}).get("scenes", []):
            for index, beat in enumerate(scene["beats"]):
                number += 1
                measured[(scene["id"], index)] = (number, beat)
        scenes = []
        language = _language(data or {})
        for scene in (data or {}).get("scenes") or []:
            if not isinstance(scene, dict) or not isinstance(scene.get("id"), str):
                continue
            beats = []
            for index, beat in enumerate(scene.get("beats") or []):
                say = narration_text(beat.get("say"), language) if isinstance(beat, dict) else None
                beats.append(_beat_state(scene["id"], index, say, measured.get((scene["id"], index)), build))
            scenes.append({"id": scene["id"], "title": str(scene.get("title", scene["id"])), "beats": beats})
        video = None
        if report:
            stem = Path(report["video"]).stem
            video = {
                "build": build,
                "url": f"/files/{report['video']}?b={build}",
                "subtitles": f"/files/{stem}.vtt?b={build}",
                "chapters": f"/files/chapters.vtt?b={build}",
                "duration": report["duration"],
                "language": report["language"],
            }
        return {
            "title": str((data or {}).get("title", self.path.stem)),
            "storyboard": self.path.name,
            "version": snapshot.version,
            "language": language,
            "readable": data is not None,
            "scenes": scenes,
            "findings": findings,
            "video": video,
        }


def _beat_state(scene_id: str, index: int, say: str | None, measured: tuple[int, dict[str, Any]] | None, build: int) -> dict[str, Any]:
    spoken = parse_narration(say).text if say is not None else ""
    state: dict[str, Any] = {"scene": scene_id, "index": index, "say": say, "editable": say is not None}
    if measured and measured[1]["say"] == spoken:
        number, beat = measured
        state.update(length=beat["speech"], start=beat["start"], duration=beat["duration"], measured=True, frame=f"/files/frames/{number:02d}.png?b={build}")
    else:  # not built yet, or edited since: an estimate, and the old frame if there was one
        state.update(length=round(estimate_speech(say or "x").duration, 1) if spoken else 0.0, measured=False)
        if measured:
            state.update(start=measured[1]["start"], duration=measured[1]["duration"], frame=f"/files/frames/{measured[0]:02d}.png?b={build}")
    return state
