"""The studio's work behind the page: checking, building the preview, watching the file.

Each runs on a thread of its own and takes requests through `Latest`, where a new request
replaces one not yet started (ten quick saves make one build, of the last text). A build
already under way when a new request comes is stopped at its next stage (the build's own
cancellation), since its result would be stale; what it had rendered stays in the cache.
Everything the page should know goes out through `Broadcaster` as server-sent events.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidgen.build import Hooks
from vidgen.errors import Interrupted, StoryboardError, VidgenError
from vidgen.executors import WarmWorkers, Workers
from vidgen.studio.findings import check_findings, findings_of
from vidgen.studio.workspace import Workspace

STAGES = ("validate", "speech", "plan", "render", "mux", "contact sheet")
POLL = 0.25  # seconds between looks at the storyboard file
SETTLE = 0.3  # seconds without further change before an edit on disk counts


class Broadcaster:
    """Server-sent events to every open page; `publish` may be called from any thread."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queues: set[asyncio.Queue[str]] = set()
        self.last: dict[str, str] = {}  # the latest event of each kind, for pages that connect later

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def publish(self, kind: str, data: Mapping[str, Any]) -> None:
        message = f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        if self.loop is None:
            self.last[kind] = message
            return
        self.loop.call_soon_threadsafe(self._deliver, kind, message)

    def _deliver(self, kind: str, message: str) -> None:
        self.last[kind] = message
        for queue in self.queues:
            queue.put_nowait(message)

    def subscribe(self) -> asyncio.Queue[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        for kind in ("status", "findings"):  # where things stand, at once
            if kind in self.last:
                queue.put_nowait(self.last[kind])
        self.queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[str]) -> None:
        self.queues.discard(queue)


@dataclass(frozen=True)
class Focus:
    """The beat a request is about: the player goes there when its build is done."""

    scene: str | None = None
    beat: int | None = None


class Latest:
    """A one-slot mailbox: a new request replaces the waiting one."""

    def __init__(self) -> None:
        self.condition = threading.Condition()
        self.waiting: Focus | None = None
        self.stopped = False

    def put(self, focus: Focus) -> None:
        with self.condition:
            self.waiting = focus
            self.condition.notify()

    def take(self) -> Focus | None:
        """The next request (None once stopped)."""
        with self.condition:
            while self.waiting is None and not self.stopped:
                self.condition.wait()
            focus, self.waiting = self.waiting, None
            return None if self.stopped else focus

    def pending(self) -> bool:
        with self.condition:
            return self.waiting is not None

    def stop(self) -> None:
        with self.condition:
            self.stopped = True
            self.condition.notify_all()


class Checker(threading.Thread):
    """`vidgen check` after every change; findings go to the page, placed on their beats."""

    def __init__(self, workspace: Workspace, events: Broadcaster) -> None:
        super().__init__(name="studio-check", daemon=True)
        self.workspace, self.events, self.requests = workspace, events, Latest()

    def run(self) -> None:
        while self.requests.take() is not None:
            version = self.workspace.read().version
            try:
                findings = check_findings(self.workspace.path, self.workspace.cache_dir, self.workspace.limits)
            except Exception as error:  # the check itself failed: say so, keep the studio up
                traceback.print_exc()
                findings = findings_of(VidgenError(f"the check failed: {error}"), "")
            if self.workspace.read().version != version:
                continue  # the file moved on while we checked: a newer request is waiting
            with self.workspace.lock:
                self.workspace.findings, self.workspace.findings_version = findings, version
            self.events.publish("findings", {"version": version, "findings": [f.to_json() for f in findings]})


class Builder(threading.Thread):
    """The preview build (vidgen.preview.preview), with its progress told stage by stage."""

    def __init__(self, workspace: Workspace, events: Broadcaster, build: Callable[[Hooks, Workers], Path]) -> None:
        super().__init__(name="studio-build", daemon=True)
        self.workspace, self.events, self.build = workspace, events, build
        self.requests = Latest()
        self.current: Hooks | None = None
        self.workers = WarmWorkers()

    def request(self, focus: Focus) -> None:
        self.requests.put(focus)
        hooks = self.current
        if hooks is not None and hooks.cancelled is not None:
            hooks.cancelled.set()  # stale now: stop at the next stage

    def stop(self) -> None:
        self.requests.stop()
        hooks = self.current
        if hooks is not None and hooks.cancelled is not None:
            hooks.cancelled.set()

    def _status(self, state: str, **extra: Any) -> None:
        self.events.publish("status", {"state": state, **extra})

    def run(self) -> None:
        try:
            self._serve()
        finally:
            self.workers.close()

    def _serve(self) -> None:
        while (focus := self.requests.take()) is not None:
            started = time.perf_counter()
            version = self.workspace.read().version

            def stage(name: str) -> None:
                done = STAGES.index(name) if name in STAGES else 0
                self._status("building", stage=name, progress=round(done / (len(STAGES) + 1), 3))

            def scene_done(scene: Any, cached: bool) -> None:
                self._status("building", stage="render", scene=scene.id, cached=cached, progress=round(STAGES.index("render") / (len(STAGES) + 1), 3))

            self.current = Hooks(stage=stage, scene_done=scene_done, cancelled=threading.Event())
            self._status("building", stage="starting", progress=0.0)
            try:
                page = self.build(self.current, self.workers.get())
            except Interrupted:
                continue  # a newer request stopped it (between stages: the workers are idle); that one runs next
            except StoryboardError:
                self._status("failed", message="not built: the storyboard has problems (see the findings on the beats)", version=version)
                continue
            except VidgenError as error:
                self.workers.close()  # a worker may have died with it: start afresh next time
                self._status("failed", message=f"not built: {error}", version=version)
                continue
            except Exception as error:  # a bug: keep its traceback on the terminal, the studio up
                self.workers.close()
                traceback.print_exc()
                self._status("failed", message=f"not built: vidgen hit a bug ({type(error).__name__}: {error}); see the terminal")
                continue
            finally:
                self.current = None
            self.workspace.finished(page)
            if self.requests.pending():
                continue  # already stale: do not make the player jump
            seconds = round(time.perf_counter() - started, 2)
            self.events.publish("built", {"build": self.workspace.build, "version": version, "scene": focus.scene, "beat": focus.beat, "seconds": seconds})
            self._status("idle", message=f"built in {seconds:.1f} s", build=self.workspace.build)


class Watcher(threading.Thread):
    """Edits made in a text editor (or by `git checkout`) reach the page, as `vidgen watch`
    sees them: by polling, since editors save by renaming, swapping or truncating files.
    A voice profile saved meanwhile (voices/*.yaml) rebuilds the preview too."""

    def __init__(self, workspace: Workspace, changed: Callable[[str], None], voices_changed: Callable[[], None]) -> None:
        super().__init__(name="studio-watch", daemon=True)
        self.workspace, self.changed, self.voices_changed = workspace, changed, voices_changed
        here = workspace.path.parent
        self.voice_dirs = [here / "voices", here.parent / "voices"]
        self.known = workspace.read().version
        self.stopped = threading.Event()

    def _stat(self) -> tuple[Any, ...]:
        def stat(path: Path) -> tuple[int, int] | None:
            try:
                found = path.stat()
            except OSError:
                return None
            return (found.st_mtime_ns, found.st_size)

        voices = tuple((path, stat(path)) for folder in self.voice_dirs if folder.is_dir() for path in sorted(folder.glob("*.yaml")))
        return (stat(self.workspace.path), voices)

    def run(self) -> None:
        seen = self._stat()
        while not self.stopped.wait(POLL):
            now = self._stat()
            if now == seen:
                continue
            while not self.stopped.wait(SETTLE):  # let a burst of writes settle
                settled = self._stat()
                if settled == now:
                    break
                now = settled
            voices_moved = now[1] != seen[1]
            seen = now
            try:
                version = self.workspace.read().version
            except (OSError, VidgenError):
                continue
            if version != self.known and version != self.workspace.written:
                self.known = version
                self.changed(version)
            elif voices_moved:
                self.voices_changed()
