"""Layout benchmark, run on demand (never in CI): `python bench/layout.py`.

For every beat of the five seed storyboards and of the seven first drafts the layout issue
was tested with (tests/layout/drafts/), the share of the safe area the beat's main content
spans once it has settled: the union of what is on screen but the words in the top and
bottom bands (headings, captions and corner notes frame a picture, they are not it), its
width or its height, whichever is the larger share (vidgen.layout.coverage). Target: no
beat below 0.5. Beats with nothing but such words (a heading alone) have no main content
and are counted apart. Speech lengths are estimated: the layout does not depend on them.

Writes bench/LAYOUT.md.
"""

from __future__ import annotations

import platform
import statistics
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vidgen.checking import validate  # noqa: E402
from vidgen.layout.coverage import beat_spans  # noqa: E402
from vidgen.plan import make_plan  # noqa: E402
from vidgen.quality import QUALITIES  # noqa: E402
from vidgen.render import configure_manim  # noqa: E402
from vidgen.speech.estimate import estimate_speech  # noqa: E402

STORYBOARDS = sorted((ROOT / "storyboards").glob("*.yaml")) + sorted((ROOT / "tests" / "layout" / "drafts" / "storyboards").glob("*.yaml"))
TARGET = 0.5


def spans_of(path: Path) -> list[tuple[str, int, float | None]]:
    loaded = validate(path)
    if not loaded.storyboard.scenes or path.name == "series.yaml":
        return []
    board = loaded.storyboard
    plan = make_plan(loaded.name, board, [[estimate_speech(beat.say) for beat in scene.beats] for scene in board.scenes], QUALITIES["low"])
    return [(scene.id, index + 1, span) for scene in plan.scenes for index, span in enumerate(beat_spans(scene))]


def main() -> None:
    configure_manim(ROOT / "bench" / "out" / "layout-cache")
    rows, below = [], []
    every: list[float] = []
    for path in STORYBOARDS:
        if path.name == "series.yaml":
            continue
        found = spans_of(path)
        spans = [span for _, _, span in found if span is not None]
        every += spans
        empty = sum(span is None for _, _, span in found)
        low = [(scene, beat, span) for scene, beat, span in found if span is not None and span < TARGET]
        below += [(path.relative_to(ROOT), scene, beat, span) for scene, beat, span in low]
        rows.append(f"| `{path.relative_to(ROOT)}` | {len(found)} | {empty} | {min(spans):.2f} | {statistics.median(spans):.2f} | {len(low)} |")
        print(rows[-1], flush=True)
    lines = [
        "# Layout: how much of the frame each beat uses",
        "",
        f"Measured by `python bench/layout.py` on {date.today()}, {platform.python_version()}, vidgen's layout engine.",
        "",
        f"Share of the safe area spanned by each beat's main content (target: every beat ≥ {TARGET}).",
        "",
        "| storyboard | beats | heading only | lowest | median | below target |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        f"All {len(every)} beats with main content: lowest {min(every):.2f}, median {statistics.median(every):.2f}, {len(below)} below {TARGET}.",
        "",
    ]
    if below:
        lines += ["Beats below the target:", ""] + [f"- `{path}` scene `{scene}`, beat {beat}: {span:.2f}" for path, scene, beat, span in below] + [""]
    (ROOT / "bench" / "LAYOUT.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
