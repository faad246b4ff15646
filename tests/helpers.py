"""Small builders shared by tests: storyboards from YAML text, plans with stand-in speech."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import yaml

from vidgen.plan import Plan, make_plan
from vidgen.quality import QUALITIES
from vidgen.speech.base import BeatSpeech
from vidgen.speech.estimate import estimate_speech
from vidgen.storyboard.model import Storyboard


def storyboard(text: str) -> Storyboard:
    return Storyboard.model_validate(yaml.safe_load(textwrap.dedent(text)))


def one_scene(elements: str, beats: str, **scene: str) -> Storyboard:
    """A storyboard of one scene from indented YAML blocks for its elements and beats."""
    extra = "".join(f"    {key}: {value}\n" for key, value in scene.items())
    return storyboard(
        "title: Test\nscenes:\n  - id: s\n    title: S\n" + extra
        + "    elements:\n" + textwrap.indent(textwrap.dedent(elements), "      ")
        + "    beats:\n" + textwrap.indent(textwrap.dedent(beats), "      ")
    )


def speech_of(seconds: float, marks: dict[str, float] | None = None, text: str = "x") -> BeatSpeech:
    return BeatSpeech(Path("speech.wav"), seconds, "fake", "fake", text, marks=marks or {})


def plan_of(board: Storyboard, quality: str = "low") -> Plan:
    speech = [[estimate_speech(beat.say) for beat in scene.beats] for scene in board.scenes]
    return make_plan("test", board, speech, QUALITIES[quality])


# A tiny project (two scenes, a fake voice) that builds in seconds.
TINY = """
title: Tiny
voice: fake
scenes:
  - id: first
    title: The first scene
    elements:
      ratings: {vector: [5, 0, 1], label: Ratings}
      note: {caption: A caption, place: bottom}
    beats:
      - say: Here is a vector of three ratings.
        do:
          - show: ratings
      - say: The middle one is <mark name="zero"/>zero. It was not rated.
        do:
          - highlight: "ratings[1]"
            at: zero
          - show: note
  - id: second
    title: The second scene
    elements:
      net: {mlp: [3, 2, 3], label: Network}
    beats:
      - say: A small network, and a pulse through it.
        do:
          - show: net
          - flow: net
"""

FAKE_VOICE = "name: fake\nlanguage: en\nengines:\n  - engine: fake\n    voice: tone\n"




def slow_storyboard(scenes: int = 3, run_time: float = 10, say: str = "Scene {i}.") -> str:
    """A storyboard whose scenes each take long enough to render that a test can act
    (kill a worker, send a signal) while they are still being drawn."""
    body = "".join(
        f"  - id: s{i}\n    title: Scene {i}\n    elements:\n      net: {{mlp: [6, 6, 6]}}\n    beats:\n"
        f"      - say: {say.format(i=i)}\n        do:\n          - show: net\n          - flow: net\n            run_time: {run_time}\n"
        for i in range(scenes)
    )
    return "title: Slow\nvoice: fake\nscenes:\n" + body


# Narration that subtitle formats must carry word for word: markup characters, quotes, an
# arrow (WebVTT's timing separator) and Polish letters.
TRICKY_NARRATION = 'If x < y and y > z, then R&D pays for "tags" like a<b & co. Then --> means "goes to": zażółć gęślą jaźń, ĄĘŁŃÓŚŹŻ.'

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_TRACK_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<video src="{video}" preload="auto" muted><track kind="subtitles" src="{vtt}" srclang="en" default></video>
<script>
const track = document.querySelector("track");
const dump = (state) => {{
  const cues = state === "loaded" ? [...track.track.cues].map((c) => ({{start: c.startTime, end: c.endTime, shown: c.getCueAsHTML().textContent}})) : [];
  document.body.dataset.cues = encodeURIComponent(JSON.stringify({{state, cues}}));
}};
track.addEventListener("load", () => dump("loaded"));
track.addEventListener("error", () => dump("error"));
if (track.readyState === 2) dump("loaded");
</script></body></html>"""


def cues_in_chromium(vtt: Path, video: Path, scratch: Path) -> list[dict]:
    """The cues headless Chromium reads from `vtt` loaded as a <track> of `video`: each cue's
    start, end and the text it shows (getCueAsHTML, i.e. after the WebVTT parser)."""
    import json
    import subprocess
    import urllib.parse

    assert CHROMIUM is not None, "Chromium is not installed (./setup.sh --dev installs it)"
    scratch.mkdir(parents=True, exist_ok=True)
    page = scratch / "track.html"
    page.write_text(_TRACK_PAGE.format(video=video.resolve().as_uri(), vtt=vtt.resolve().as_uri()), encoding="utf-8")
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--allow-file-access-from-files", f"--user-data-dir={scratch / 'profile'}",
               "--virtual-time-budget=10000", "--dump-dom", page.as_uri()]  # fmt: skip
    dom = subprocess.run(browser, capture_output=True, text=True, timeout=120).stdout
    assert 'data-cues="' in dom, f"the page never read its track: {dom[-2000:]}"
    found = json.loads(urllib.parse.unquote(dom.split('data-cues="', 1)[1].split('"', 1)[0]))
    assert found["state"] == "loaded", "Chromium could not load the subtitles"
    return found["cues"]
