"""Loaded by every Python process started with this folder on PYTHONPATH (render workers
too), and active only when a test sets its variable:

- $VIDGEN_TEST_MARKERS: the fake voice, the renderer and the mux each announce their stage
  (a file in that folder) and then linger in it, so a test can interrupt a build in the
  middle of that stage;
- $VIDGEN_TEST_BUG: planning fails with an exception vidgen does not expect (a KeyError), so a
  test sees how a bug is reported (exit 3, with its traceback)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

LINGER = 5.0


def _announce(stage: str) -> None:
    (Path(os.environ["VIDGEN_TEST_MARKERS"]) / stage).touch()
    time.sleep(LINGER)


def _patch() -> None:
    import importlib

    mux = importlib.import_module("vidgen.media.mux")  # the package exports a function of that name
    scene = importlib.import_module("vidgen.render.scene")
    from vidgen.speech.engines.fake import FakeEngine

    speak = FakeEngine.synthesize

    def slow_speech(self: Any, *args: Any) -> Any:
        _announce("speech")  # before the beat's audio exists
        return speak(self, *args)

    construct = scene.StoryboardScene.construct

    def slow_construct(self: Any) -> None:
        construct(self)
        _announce("render")  # the clip's frames are encoded, its file not yet finished

    replace_into = mux._replace_into

    def slow_replace(temp: Any, out: Any) -> Any:
        _announce("mux")  # the new video is written under its temporary name
        return replace_into(temp, out)

    FakeEngine.synthesize = slow_speech  # type: ignore[method-assign]
    scene.StoryboardScene.construct = slow_construct  # type: ignore[method-assign]
    mux._replace_into = slow_replace


def _plant_bug() -> None:
    import vidgen.plan  # build.py, imported after this, takes the planted function

    def make_plan(*args: Any, **kwargs: Any) -> Any:
        return {}["a deliberate bug"]

    vidgen.plan.make_plan = make_plan  # type: ignore[assignment]


if os.environ.get("VIDGEN_TEST_MARKERS"):
    _patch()
if os.environ.get("VIDGEN_TEST_BUG"):
    _plant_bug()
