"""What keeps the studio the writer's alone, though it is a web server.

- It listens on 127.0.0.1 only, so no other machine reaches it.
- Every request needs the token printed with its address (as Jupyter does): the first
  visit brings it in the URL and gets it back as a cookie (SameSite=Strict, HttpOnly); a
  script (the benchmark) may send it as the X-Vidgen-Token header. Other local users and
  web pages cannot guess it.
- A web page elsewhere can still make the browser send requests here. Its Origin header
  gives it away, and DNS rebinding (a foreign name resolving to 127.0.0.1) gives itself
  away by the Host header: requests naming another Origin or Host are refused.
- Files are served only from the folder the last preview was written to, by a relative
  path that must stay inside it once resolved (no `..`, no absolute path, no symlink out).
"""

from __future__ import annotations

import hmac
import secrets
from http.cookies import SimpleCookie
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, unquote

from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_HEADER = b"x-vidgen-token"
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self'; media-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def cookie_name(port: int) -> str:
    # Cookies are not kept apart by port: two studios on one machine need two names.
    return f"vidgen-studio-{port}"


class Guard:
    """ASGI middleware: refuses (403) requests without the token or from another origin."""

    def __init__(self, app: ASGIApp, token: str, port: int) -> None:
        self.app = app
        self.token = token
        self.cookie = cookie_name(port)
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    def _has_token(self, value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # the studio has no websockets: nothing else gets through
            await receive()
            await send({"type": "websocket.close", "code": 1008})
            return
        headers: dict[bytes, list[bytes]] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.lower(), []).append(value)

        def header(name: bytes) -> str | None:
            values = headers.get(name, [])
            return values[0].decode("latin-1") if len(values) == 1 else None  # two of one header: refuse

        if header(b"host") not in self.hosts:
            await _refuse(send, "this studio answers only to http://127.0.0.1 on its own port")
            return
        origin = headers.get(b"origin")
        if origin is not None and header(b"origin") not in self.origins:
            await _refuse(send, "requests from other web pages are refused")
            return
        if headers.get(b"sec-fetch-site") and header(b"sec-fetch-site") not in ("same-origin", "none"):
            await _refuse(send, "requests from other web pages are refused")
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if scope["path"] == "/" and scope["method"] == "GET" and "token" in query:
            if self._has_token(query["token"][0] if len(query["token"]) == 1 else None):
                await _welcome(send, self.cookie, self.token)  # the token moves from the URL to a cookie
            else:
                await _refuse(send, "wrong token: open the address `vidgen studio` printed")
            return
        cookies = SimpleCookie()
        try:
            cookies.load(header(b"cookie") or "")
        except Exception:  # a malformed Cookie header is no token
            cookies = SimpleCookie()
        sent = header(TOKEN_HEADER) or (cookies[self.cookie].value if self.cookie in cookies else None)
        if not self._has_token(sent):
            await _refuse(send, "no token: open the address `vidgen studio` printed (it ends with ?token=…)")
            return

        async def secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, secured)


async def _refuse(send: Send, reason: str) -> None:
    body = f"403 Forbidden: {reason}\n".encode()
    await send({"type": "http.response.start", "status": 403, "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


async def _welcome(send: Send, cookie: str, token: str) -> None:
    value = f"{cookie}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send({"type": "http.response.start", "status": 303, "headers": [(b"location", b"/"), (b"set-cookie", value.encode()), (b"content-length", b"0"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": b""})


class Outside(Exception):
    """A requested path that is not inside the folder it must stay in."""


def inside(root: Path, relative: str) -> Path:
    """`root/relative`, resolved (symlinks followed), if it stays inside `root`; else Outside."""
    relative = unquote(relative)  # a client may encode once more: %2e%2e is ..
    pure = PurePosixPath(relative)
    # Nothing served has %, \ or NUL in its name: a path with one is encoded yet again, or a trick.
    if not relative or any(c in relative for c in "%\\\0") or pure.is_absolute() or ".." in pure.parts:
        raise Outside(relative)
    base = root.resolve()
    target = (base / pure).resolve()
    if not target.is_relative_to(base):
        raise Outside(relative)
    return target
