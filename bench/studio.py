"""Benchmark, run on demand (never in CI): `python bench/studio.py [--rounds 3]`.

How long a writer waits in `vidgen studio` between saving a one-sentence edit and the player
having the new beat, for storyboards/autoencoder.yaml on this machine (target: 5 s).

The studio runs as writers run it (`vidgen studio … --offline`, in a copy of the project
under bench/out/studio/, so the real storyboard is never touched) and is driven through its
HTTP API, as the page drives it. After the first build (not timed: it may be cold), each
round appends a new sentence to one beat's narration, then times, from the moment the save
is sent:
- saved: the save's answer (the file written);
- findings: `vidgen check`'s findings for that version on the event stream;
- playable: the `built` event for that version, then the page's next request for the
  state and the first bytes of the new video (what the player does to show the beat).
Each round's sentence is new, so its speech is never in the cache.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "studio"
TARGET = 5.0  # seconds


class Client:
    """The studio's HTTP API, with the token as the page's cookie would carry it."""

    def __init__(self, url: str) -> None:
        self.port = int(url.split(":")[2].split("/")[0])
        self.token = url.split("token=")[1]

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        data = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=data, headers={"X-Vidgen-Token": self.token, "Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        return response.status, payload

    def events(self, into: queue.Queue[tuple[float, str, dict[str, Any]]]) -> None:
        """Read the event stream forever, timestamping each event as it arrives."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port)
        connection.request("GET", "/api/events", headers={"X-Vidgen-Token": self.token})
        response = connection.getresponse()
        kind = None
        while True:
            line = response.fp.readline()
            if not line:
                return
            text = line.decode().rstrip("\n")
            if text.startswith("event: "):
                kind = text[7:]
            elif text.startswith("data: ") and kind:
                into.put((time.perf_counter(), kind, json.loads(text[6:])))
                kind = None


def wait_for(events: queue.Queue, kind: str, version: str | None, timeout: float) -> tuple[float, dict[str, Any]]:
    deadline = time.perf_counter() + timeout
    while True:
        at, got, data = events.get(timeout=max(0.1, deadline - time.perf_counter()))
        if got == "status" and data.get("state") == "failed" and (version is None or data.get("version") == version):
            raise SystemExit(f"the studio could not build: {data.get('message')}")
        if got == kind and (version is None or data.get("version") == version):
            return at, data


def prepare(storyboard: Path) -> Path:
    """A copy of the project (storyboard and voices) to edit; the cache is kept between runs."""
    (OUT / "storyboards").mkdir(parents=True, exist_ok=True)
    shutil.copy(storyboard, OUT / "storyboards" / storyboard.name)
    voices = storyboard.resolve().parent.parent / "voices"
    if voices.is_dir():
        shutil.copytree(voices, OUT / "voices", dirs_exist_ok=True)
    return OUT / "storyboards" / storyboard.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--storyboard", type=Path, default=ROOT / "storyboards" / "autoencoder.yaml")
    parser.add_argument("--scene", default="architecture", help="the scene whose beat is edited")
    parser.add_argument("--beat", type=int, default=0, help="the beat (0-based) whose narration gets a sentence more")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    board = prepare(args.storyboard)
    command = [sys.executable, "-m", "vidgen", "studio", str(board.relative_to(OUT)), "--offline"]
    studio = subprocess.Popen(command, cwd=OUT, stdout=subprocess.PIPE, stderr=open(OUT / "studio.log", "w"), text=True)
    try:
        url = studio.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise SystemExit(f"the studio did not start; see {OUT / 'studio.log'}")
        client = Client(url)
        events: queue.Queue = queue.Queue()
        threading.Thread(target=client.events, args=(events,), daemon=True).start()
        started = time.perf_counter()
        print(f"first build of {board.name} (not timed)…", flush=True)
        wait_for(events, "built", None, timeout=3600)
        print(f"  ready after {time.perf_counter() - started:.1f} s", flush=True)
        original = json.loads(client.request("GET", "/api/state")[1])
        say = next(s for s in original["scenes"] if s["id"] == args.scene)["beats"][args.beat]["say"]
        rounds = []
        for number in range(1, args.rounds + 1):
            while not events.empty():
                events.get()
            version = json.loads(client.request("GET", "/api/state")[1])["version"]
            edit = " ".join(say.split()) + f" This is sentence number {number} of run {int(time.time()) % 100000}."
            sent = time.perf_counter()
            status, answer = client.request("POST", f"/api/beats/{args.scene}/{args.beat}", {"say": edit, "version": version})
            saved = time.perf_counter()
            if status != 200:
                raise SystemExit(f"the save was refused ({status}): {answer.decode()}")
            new_version = json.loads(answer)["version"]
            found_at, _ = wait_for(events, "findings", new_version, timeout=600)
            built_at, built = wait_for(events, "built", new_version, timeout=1800)
            state = json.loads(client.request("GET", "/api/state")[1])
            status, _ = client.request("GET", state["video"]["url"], headers={"Range": "bytes=0-65535"})
            playable = time.perf_counter()
            if status not in (200, 206):
                raise SystemExit(f"the new video is not served ({status})")
            rounds.append({"saved": saved - sent, "findings": found_at - sent, "built": built_at - sent, "playable": playable - sent, "build_seconds": built["seconds"]})
            print(f"  round {number}: saved {saved - sent:.2f} s · findings {found_at - sent:.2f} s · playable {playable - sent:.2f} s", flush=True)
        client.request("POST", f"/api/beats/{args.scene}/{args.beat}", {"say": say, "version": json.loads(client.request("GET", "/api/state")[1])["version"]})
    finally:
        studio.send_signal(signal.SIGINT)
        try:
            studio.wait(timeout=120)
        except subprocess.TimeoutExpired:
            studio.kill()
    median = statistics.median(r["playable"] for r in rounds)
    verdict = "met" if median <= TARGET else "NOT met"
    result = {"storyboard": args.storyboard.name, "scene": args.scene, "beat": args.beat, "rounds": rounds, "median_playable": round(median, 3), "target": TARGET}
    (OUT / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    summary = f"save → new beat playable: median {median:.2f} s over {len(rounds)} round(s); target ≤ {TARGET:.0f} s: {verdict}"
    playable = [r["playable"] for r in rounds]
    lines = [
        "# Studio: from saving an edit to the new beat playing",
        "",
        f"Measured by `python bench/studio.py --rounds {len(rounds)}` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"`{args.storyboard.relative_to(ROOT) if args.storyboard.is_relative_to(ROOT) else args.storyboard.name}`, "
        f"a new sentence added to scene `{args.scene}`, beat {args.beat + 1}, every round (the first round included: the studio had just built).",
        "",
        f"**{summary}** (spread {min(playable):.2f}–{max(playable):.2f} s).",
        "",
        "| round | saved (s) | findings shown (s) | built (s) | playable (s) |",
        "| --- | --- | --- | --- | --- |",
        *(f"| {n} | {r['saved']:.2f} | {r['findings']:.2f} | {r['built']:.2f} | {r['playable']:.2f} |" for n, r in enumerate(rounds, start=1)),
        "",
    ]
    (ROOT / "bench" / "STUDIO.md").write_text("\n".join(lines), encoding="utf-8")
    print(summary)


if __name__ == "__main__":
    main()
