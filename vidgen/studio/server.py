"""`vidgen studio`: the web workspace's routes, and serving it on 127.0.0.1.

Starlette routes, uvicorn serving them. Pages and assets ship inside the package (no CDN,
no front-end build); the preview's files are served from the folder the last build wrote.

    GET  /                          the studio page (first visit: /?token=…)
    GET  /static/NAME               its stylesheet, script and icon
    GET  /api/state                 beats, findings and the video, as JSON
    POST /api/beats/SCENE/INDEX     save one beat's narration: {"say", "version"} → 200, or 409
    POST /api/listen                speak one beat: {"scene", "beat", "say"?} → {"audio"}
    POST /api/say                   speak any words in the storyboard's voice: {"text"} → {"audio"}
    GET  /api/events                server-sent events: status, built, findings, changed
    GET  /files/PATH                the preview's files (video, subtitles, frames)
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from vidgen.errors import VidgenError
from vidgen.studio import listen
from vidgen.studio.background import Broadcaster, Builder, Checker, Focus, Watcher
from vidgen.studio.editing import EditRefused
from vidgen.studio.security import Guard, Outside, inside, new_token
from vidgen.studio.workspace import Conflict, Workspace

MAX_BODY = 64 * 1024  # a narration edit is a few hundred bytes
KEEP_AUDIO = 64  # spoken snippets the page may still play
HEARTBEAT = 10.0  # seconds between keep-alive comments on the event stream
ASSETS = {"studio.css": "text/css", "studio.js": "text/javascript", "icon.svg": "image/svg+xml"}
MEDIA_TYPES = {".vtt": "text/vtt", ".mp4": "video/mp4", ".png": "image/png", ".json": "application/json", ".srt": "text/plain"}
NO_STORE = {"cache-control": "no-store"}


class Studio:
    """One storyboard's studio: the workspace and the threads that check, build and watch it."""

    def __init__(self, workspace: Workspace, offline: bool = False, engines: Mapping[str, type] | None = None) -> None:
        from vidgen.preview import preview

        self.workspace, self.offline, self.engines = workspace, offline, engines
        self.events = Broadcaster()
        self.checker = Checker(workspace, self.events)
        self.builder = Builder(workspace, self.events, lambda hooks, workers: preview(workspace.path, workspace.out_dir, workspace.cache_dir, hooks, engines, offline, workers))
        self.watcher = Watcher(workspace, self.changed_on_disk, lambda: self.builder.request(Focus()))
        self.audio: OrderedDict[str, Path] = OrderedDict()

    def start(self) -> None:
        for thread in (self.checker, self.builder, self.watcher):
            thread.start()
        self.changed(Focus())

    def stop(self) -> None:
        self.watcher.stopped.set()
        self.checker.requests.stop()
        self.builder.stop()
        self.builder.join(timeout=60)  # a render under way finishes its stage first

    def changed(self, focus: Focus) -> None:
        self.checker.requests.put(focus)
        self.builder.request(focus)

    def changed_on_disk(self, version: str) -> None:
        self.events.publish("changed", {"version": version, "by": "file"})
        self.changed(Focus())

    def keep_audio(self, wav: Path) -> str:
        key = secrets.token_hex(8)
        self.audio[key] = wav
        while len(self.audio) > KEEP_AUDIO:
            self.audio.popitem(last=False)
        return f"/api/audio/{key}"


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers=NO_STORE)


async def _json(request: Request) -> dict[str, Any]:
    body = b""
    async for chunk in request.stream():  # never more than MAX_BODY in memory, whatever the client says
        body += chunk
        if len(body) > MAX_BODY:
            raise ValueError("the request is too large")
    value = json.loads(body or b"{}")
    if not isinstance(value, dict):
        raise ValueError("expected a JSON object")
    return value


def _asset(name: str) -> bytes:
    return (resources.files("vidgen.studio") / "static" / name).read_bytes()


def make_app(studio: Studio, token: str, port: int) -> Guard:
    """The studio's ASGI application, behind its guard."""
    workspace = studio.workspace

    async def page(request: Request) -> Response:
        return Response(_asset("index.html"), media_type="text/html; charset=utf-8", headers=NO_STORE)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return PlainTextResponse("no such file", status_code=404)
        return Response(_asset(name), media_type=ASSETS[name], headers=NO_STORE)

    async def state(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(workspace.state), headers=NO_STORE)

    async def save(request: Request) -> Response:
        scene, beat = request.path_params["scene"], request.path_params["beat"]
        try:
            body = await _json(request)
            say, version = body["say"], body["version"]
            if not isinstance(say, str) or not isinstance(version, str):
                raise ValueError("say and version must be text")
        except (ValueError, KeyError) as error:
            return _error(400, f"expected {{\"say\": …, \"version\": …}}: {error}")
        try:
            saved = await run_in_threadpool(workspace.save, scene, beat, say, version)
        except Conflict as conflict:
            return _error(409, str(conflict), current=conflict.current, version=conflict.version)
        except EditRefused as refused:
            return _error(422, str(refused))
        studio.events.publish("changed", {"version": saved.version, "by": "studio", "scene": scene, "beat": beat})
        studio.changed(Focus(scene, beat))
        return JSONResponse({"version": saved.version, "say": saved.narration(scene, beat)}, headers=NO_STORE)

    async def speak(request: Request, say: Callable[[dict[str, Any]], Path]) -> Response:
        try:
            body = await _json(request)
        except ValueError as error:
            return _error(400, str(error))
        try:
            wav = await run_in_threadpool(say, body)
        except (KeyError, TypeError, ValueError) as error:
            return _error(400, f"unexpected request: {error}")
        except VidgenError as error:
            return _error(422, str(error))
        return JSONResponse({"audio": studio.keep_audio(wav)}, headers=NO_STORE)

    def speak_beat(body: dict[str, Any]) -> Path:
        scene, beat, say = str(body["scene"]), int(body["beat"]), body.get("say")
        options = {"cache_dir": workspace.cache_dir, "offline": studio.offline, "engines": studio.engines}
        if isinstance(say, str):  # the writer's text, not saved yet: heard in the scene's voice
            return listen.say_text(workspace.path, say, scene_id=scene, **options)
        return listen.say_beat(workspace.path, scene, beat, **options)

    def speak_text(body: dict[str, Any]) -> Path:
        scene = body.get("scene")
        return listen.say_text(workspace.path, str(body["text"]), scene_id=str(scene) if scene else None, cache_dir=workspace.cache_dir, offline=studio.offline, engines=studio.engines)

    async def listen_beat(request: Request) -> Response:
        return await speak(request, speak_beat)

    async def say_text(request: Request) -> Response:
        return await speak(request, speak_text)

    async def audio(request: Request) -> Response:
        wav = studio.audio.get(request.path_params["key"])
        if wav is None or not wav.is_file():
            return PlainTextResponse("no such audio (speak it again)", status_code=404)
        try:  # speech lives in the cache; the cache lives in the output folder
            inside(workspace.cache_dir, str(wav.resolve().relative_to(workspace.cache_dir)))
        except (ValueError, Outside):
            return PlainTextResponse("refused: outside the cache", status_code=403)
        return FileResponse(wav, media_type="audio/wav", headers=NO_STORE)

    async def events(request: Request) -> Response:
        queue = studio.events.subscribe()

        async def stream() -> AsyncIterator[str]:
            try:
                yield "retry: 1000\n\n"
                while True:
                    try:
                        yield await asyncio.wait_for(queue.get(), timeout=HEARTBEAT)
                    except TimeoutError:
                        yield ": still here\n\n"
            finally:
                studio.events.unsubscribe(queue)

        return StreamingResponse(stream(), media_type="text/event-stream", headers={**NO_STORE, "x-accel-buffering": "no"})

    async def files(request: Request) -> Response:
        root = workspace.preview_folder()
        if root is None:
            return PlainTextResponse("nothing built yet", status_code=404)
        try:
            if not root.resolve().is_relative_to(workspace.out_dir):
                raise Outside(str(root))
            target = inside(root, request.path_params["path"])
        except Outside:
            return PlainTextResponse("refused: outside the preview folder", status_code=403)
        if not target.is_file():
            return PlainTextResponse("no such file", status_code=404)
        return FileResponse(target, media_type=MEDIA_TYPES.get(target.suffix), headers=NO_STORE)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        studio.events.attach(asyncio.get_running_loop())
        yield

    routes = [
        Route("/", page),
        Route("/static/{name}", asset),
        Route("/api/state", state),
        Route("/api/beats/{scene}/{beat:int}", save, methods=["POST"]),
        Route("/api/listen", listen_beat, methods=["POST"]),
        Route("/api/say", say_text, methods=["POST"]),
        Route("/api/audio/{key}", audio),
        Route("/api/events", events),
        Route("/files/{path:path}", files),
    ]
    return Guard(Starlette(routes=routes, lifespan=lifespan), token, port)


def serve(storyboard: Path, out_dir: Path, cache_dir: Path, *, offline: bool = False, port: int = 0, engines: Mapping[str, type] | None = None, announce: Callable[[str], None] = print) -> None:
    """Serve the studio on 127.0.0.1 (a random free port unless `port`) until interrupted."""
    import uvicorn

    workspace = Workspace(storyboard, out_dir, cache_dir)
    workspace.read()  # a missing or unreadable storyboard fails here, before any server
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    port = listener.getsockname()[1]
    token = new_token()
    studio = Studio(workspace, offline, engines)
    config = uvicorn.Config(make_app(studio, token, port), log_level="warning", access_log=False, proxy_headers=False, server_header=False, lifespan="on", timeout_graceful_shutdown=1)
    studio.start()
    announce(f"http://127.0.0.1:{port}/?token={token}")
    try:
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        studio.stop()
