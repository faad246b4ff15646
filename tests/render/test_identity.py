"""Cache identity: a change to any input of a segment or a layout check makes exactly the
entries that depend on it again, and leaves the others in use."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import one_scene, plan_of
from vidgen import identity
from vidgen.executors import Workers
from vidgen.render import encoder
from vidgen.render.clips import render_scenes, scene_findings

BOARD = one_scene("v: {vector: [1, 2, 3]}\n", "- say: One two.\n  do: [show: v]\n- say: Three four.\n  do: [{highlight: 'v[1]'}]\n")


@pytest.fixture(autouse=True)
def _fresh_lookups() -> Iterator[None]:
    identity.clear_caches()
    yield
    identity.clear_caches()  # after monkeypatch has put everything back


def entries(cache: Path) -> tuple[set[str], set[str]]:
    return {p.name for p in (cache / "clips").glob("*.mp4")}, {p.name for p in (cache / "layout").glob("*.json")}


def build(cache: Path) -> tuple[int, int]:
    """Render the board's segments and check its layout (as `vidgen check` does: a build
    checks only scenes it renders); how many segment and layout entries were made new."""
    segments, layouts = entries(cache)
    identity.clear_caches()
    plan = plan_of(BOARD)
    render_scenes(plan, cache, Workers(None))
    for scene in plan.scenes:
        scene_findings(scene, cache)
    now_segments, now_layouts = entries(cache)
    return len(now_segments - segments), len(now_layouts - layouts)


def edited_source(monkeypatch: pytest.MonkeyPatch, relative: str) -> None:
    """vidgen as if `relative` (a path inside the package) had been edited."""
    real = identity.read_source
    target = identity.PACKAGE / relative
    assert target.is_file()
    monkeypatch.setattr(identity, "read_source", lambda path: real(path) + (b"\n# edited\n" if path == target else b""))


def test_each_input_rebuilds_exactly_what_depends_on_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    assert build(cache) == (2, 1)
    assert build(cache) == (0, 0)  # nothing changed

    with monkeypatch.context() as patch:  # another Manim: new pictures and new measurements
        patch.setattr(identity, "manim_version", lambda: "0.0.1")
        assert build(cache) == (2, 1)
    with monkeypatch.context() as patch:  # another encoder setting: new segments, same layout
        patch.setitem(encoder.ENCODER_OPTIONS, "crf", "23")
        assert build(cache) == (2, 0)
    with monkeypatch.context() as patch:  # the layout check's own code: only the check again
        edited_source(patch, "render/check.py")
        assert build(cache) == (0, 1)
    with monkeypatch.context() as patch:  # an action's code: both
        edited_source(patch, "actions/highlight.py")
        assert build(cache) == (2, 1)
    with monkeypatch.context() as patch:  # code that draws nothing: nothing
        edited_source(patch, "cli.py")
        assert build(cache) == (0, 0)
    with monkeypatch.context() as patch:  # the font file replaced (same name, new size)
        real = identity.font_file
        patch.setattr(identity, "font_file", lambda pattern: {**real(pattern), "bytes": 1})
        assert build(cache) == (2, 1)
    assert build(cache) == (0, 0)  # and back as it was: the first entries serve again


def test_cache_info_shows_what_an_entry_was_made_with(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    render_scenes(plan_of(BOARD), cache, Workers(None))
    segment = sorted((cache / "clips").glob("*.mp4"))[0]
    speech = cache / "speech" / "hello-0123456789abcdef.wav"  # a speech entry carries its identity inside its .json
    speech.parent.mkdir(parents=True)
    speech.write_bytes(b"RIFF")
    speech.with_suffix(".json").write_text(json.dumps({"identity": {"engine": "piper", "voice_model": "joe.onnx"}, "duration": 1.0}))

    def info(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "vidgen", "cache", "info", "--cache", str(cache), *args], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout + result.stderr

    shown = info("--entry", str(segment))
    assert f"environment.manim: {identity.manim_version()}" in shown
    for expected in ("environment.encoder.options.crf", "environment.fonts", "environment.vidgen.source", "frames"):
        assert expected in shown, shown
    assert "joe.onnx" in info("--entry", str(speech))
    recent = info("--recent", "5")
    assert segment.name[:20] in recent and "layout" in recent and "speech" in recent
