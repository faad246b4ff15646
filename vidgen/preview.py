"""`vidgen preview`: a fast low-quality build, and a page to review it on.

The page (index.html beside the video) shows the video with subtitles and chapters, the
chapter list, and the script: every beat's frame with its narration and length. A few
lines of script on the page record what loaded (`data-frames-loaded`, `data-video-duration`)
so a headless browser can tell what a viewer would see.
"""

from __future__ import annotations

import dataclasses
import html
import json
import shutil
from collections.abc import Mapping
from pathlib import Path

from vidgen.assemble import key_moments
from vidgen.build import BuildOptions, BuildResult, Hooks, build, build_on
from vidgen.executors import Workers
from vidgen.media.contact_sheet import kept_thumbnail
from vidgen.media.probe import frame_at
from vidgen.paths import write_atomic
from vidgen.quality import QUALITIES

PAGE_SCRIPT = """
<script>
window.addEventListener("load", () => {
  const frames = [...document.querySelectorAll("img.frame")];
  document.body.dataset.framesLoaded = frames.filter((img) => img.complete && img.naturalWidth > 0).length;
  const video = document.querySelector("video");
  const done = () => { document.body.dataset.videoDuration = video.duration.toFixed(2); };
  if (video.readyState >= 1) done(); else video.addEventListener("loadedmetadata", done);
  for (const link of document.querySelectorAll("a[data-seek]")) {
    link.addEventListener("click", (event) => { event.preventDefault(); video.currentTime = Number(link.dataset.seek); video.play(); });
  }
});
</script>
"""

STYLE = """
<style>
body { font-family: "DejaVu Sans", sans-serif; background: #101418; color: #eceff4; margin: 2rem auto; max-width: 1100px; }
video { width: 100%; background: black; }
a { color: #4ea1ff; }
.beat { display: flex; gap: 1rem; margin: 0.6rem 0; align-items: flex-start; }
.beat img { width: 320px; border: 1px solid #333; }
.length { color: #8a94a6; white-space: nowrap; }
</style>
"""


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def write_chapters_vtt(report: Mapping, path: Path) -> Path:
    def stamp(t: float) -> str:
        return f"{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{t % 60:06.3f}"

    blocks = [f"{stamp(s['start'])} --> {stamp(s['start'] + s['duration'])}\n{s['title']}\n" for s in report["scenes"]]
    return write_atomic(path, "WEBVTT\n\n" + "\n".join(blocks))


def write_page(result: BuildResult) -> Path:
    """index.html beside the video, with one frame per beat in frames/."""
    folder = result.video.parent
    report = result.report
    (folder / "frames").mkdir(exist_ok=True)
    from PIL import Image

    moments = key_moments(result.plan)
    for number, (seconds, _) in enumerate(moments, start=1):
        page_frame = folder / "frames" / f"{number:02d}.png"
        if result.frames and result.kept_frames is not None:  # from the beat's segment, kept: after a one-beat edit one frame is decoded
            source, at = result.frames[number - 1]
            shutil.copyfile(kept_thumbnail(source, at, result.plan.quality.width, result.kept_frames), page_frame)
        else:
            Image.fromarray(frame_at(result.video, seconds)).save(page_frame)
    write_chapters_vtt(report, folder / "chapters.vtt")
    name = result.video.stem
    language = html.escape(report["language"])
    parts = [
        f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'><title>{html.escape(report['title'])} · preview</title>{STYLE}</head><body>",
        f"<h1>{html.escape(report['title'])}</h1>",
        f"<video controls preload='metadata' src='{name}.mp4'>"
        f"<track kind='subtitles' src='{name}.vtt' srclang='{language}' label='{language}' default>"
        f"<track kind='chapters' src='chapters.vtt' srclang='{language}'></video>",
        f"<p>{report['duration']:.1f} s · {report['quality']['width']}x{report['quality']['height']} · "
        f"<a href='contact_sheet.png'>contact sheet</a> · <a href='build.json'>build report</a></p>",
        "<h2>Chapters</h2><ol class='chapters'>",
        *(f"<li><a href='#' data-seek='{s['start']}'>{_clock(s['start'])} {html.escape(s['title'])}</a></li>" for s in report["scenes"]),
        "</ol><h2>Script</h2>",
    ]
    number = 0
    for scene in report["scenes"]:
        parts.append(f"<h3 id='{html.escape(scene['id'])}'>{html.escape(scene['title'])} <span class='length'>{_clock(scene['start'])}</span></h3>")
        for beat in scene["beats"]:
            number += 1
            parts.append(
                f"<div class='beat'><img class='frame' src='frames/{number:02d}.png' alt='beat {number}'>"
                f"<p>{html.escape(beat['say'])} <span class='length'>({beat['duration']:.1f} s, {beat['engine']})</span></p></div>"
            )
    parts += [PAGE_SCRIPT, f"<script type='application/json' id='report'>{html.escape(json.dumps({'beats': number}))}</script>", "</body></html>"]
    return write_atomic(folder / "index.html", "\n".join(parts))


def preview(
    path: Path, out_dir: Path, cache_dir: Path, hooks: Hooks | None = None, engines: Mapping | None = None, offline: bool = False, workers: Workers | None = None
) -> Path:
    """Build `path` at low quality into out_dir/<name>/ and write its review page. A caller
    that builds again and again (the studio) passes `workers` it keeps open: starting them,
    and Manim in each, takes longer than rebuilding one beat."""
    options = BuildOptions(quality=QUALITIES["low"], out_dir=out_dir, cache_dir=cache_dir, offline=offline, engines=engines)
    # The page is part of the new set of outputs, switched in with the video it shows.
    hooks = dataclasses.replace(hooks or Hooks(), complete=write_page)
    result = build(path, options, hooks) if workers is None else build_on(path, options, hooks, workers)
    page = result.video.parent / "index.html"
    return page if page.exists() else write_page(result)
