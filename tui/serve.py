"""``newsmark serve``: the app as web pages, fit for a team's server (no Textual here).

Each browser session runs its own app process, started from a command line with that session's
annotator, and spoken to over pipes with Textual's web-driver protocol (textual-serve's
``AppService`` does that part). Around it this module builds what a shared server needs:

- **Access**, as Jupyter does it: a random token made at start (or ``--token``/``$NEWSMARK_TOKEN``)
  is printed once, in the start line's URL. A page opened with ``?token=`` gets a session cookie
  and is redirected to the same URL without the token, so it stays out of browser history and
  screenshots. Every route, the static files and the websocket included, answers 403 without
  the token or the cookie. Tokens are compared in constant time.
- **One annotator per browser session**: ``?annotator=NAME`` (checked as ``--annotator`` is, by
  :func:`tui.model.annotator_name`), else asked on the app's first screen (``--ask-annotator``),
  else the server's annotator. The page gets a one-time *ticket* that names its session; the
  websocket ``ws/<ticket>`` starts the app with that annotator. The ticket, not the URL of the
  websocket, carries the choice: textual.js adds its own query string to that URL.
- **Offline**: the page, its script, styles and fonts are all served from here (the fonts are
  the Roboto Mono files textual-serve's package ships).
- **A prompt, clean stop**: SIGTERM, SIGINT or SIGHUP stop listening, ask every session's app to
  quit (so its writes finish), wait for them (at most :data:`STOP_GRACE` seconds), then close
  each page's websocket with code 1001, which the page shows as "the server stopped".

textual-serve's own ``Server`` is not used: its routes, its index template (which loads a font
from another host) and its shutdown (which waits for each websocket's heartbeat, ~20 s) are the
parts this replaces. ``AppService`` and ``DownloadManager`` are not in textual-serve's documented
API, so pyproject.toml pins textual-serve to one minor release (see the comment there).
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import hmac
import html
import ipaddress
import json
import os
import secrets
import shlex
import signal
import socket
import sys
import time
from collections import OrderedDict
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import TextIO
from urllib.parse import quote, urlencode

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from .errors import UserFacingError
from .model import annotator_name

#: The environment variable that sets the token (as ``--token`` does).
TOKEN_ENV = "NEWSMARK_TOKEN"

#: Seconds each app gets to exit after the server asks it to, when the server stops. An app
#: exits in ~0.1 s; the rest of the 2 s a service manager allows is margin.
STOP_GRACE = 1.5

#: A token given by hand must be at least this long: shorter ones can be guessed.
MIN_TOKEN_CHARS = 8

#: How long a page's ticket waits for its websocket, and how many may wait at once.
TICKET_SECONDS = 600.0
MAX_TICKETS = 1000

#: The query parameters a page keeps; any other (textual.js reads ``ping``, a URL it fetches,
#: and ``delay``) is dropped by a redirect, so a crafted link cannot make the page fetch elsewhere.
PAGE_PARAMETERS = ("annotator", "fontsize")

#: The close code that tells a page the server stopped (the page says so).
SERVER_STOPPED = WSCloseCode.GOING_AWAY

STATIC = Path(str(files("textual_serve") / "static"))
PAGE = Template((Path(__file__).with_name("serve.html")).read_text(encoding="utf-8"))


class ServeError(UserFacingError):
    """The server cannot start as asked; the text says why and what to do."""


# --------------------------------------------------------------------- settings


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only: ``localhost``, 127.0.0.0/8 or ``::1``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def choose_token(
    given: str | None, *, no_token: bool, host: str,
    environ: MutableMapping[str, str] | None = None,
) -> str | None:
    """The token the server will ask for: ``given``, else ``$NEWSMARK_TOKEN``, else a random one;
    None with ``no_token``, which only a loopback ``host`` allows.

    The variable is removed from ``environ`` (default ``os.environ``) so that the app processes
    the server starts never hold the token.
    """
    environ = os.environ if environ is None else environ
    from_env = environ.pop(TOKEN_ENV, None)
    if no_token:
        if given is not None:
            raise ServeError("--token and --no-token contradict each other; give one")
        if not is_loopback(host):
            raise ServeError(f"--no-token is allowed only on 127.0.0.1 or ::1, not {host}: "
                             "anyone who reaches the port could read and tag; drop --no-token")
        return None
    token, source = (given, "--token") if given is not None else (from_env, TOKEN_ENV)
    if token is None:
        return secrets.token_urlsafe(24)
    if not token.strip():
        raise ServeError(f"{source} is empty; give a token, or leave it out for a random one")
    if len(token) < MIN_TOKEN_CHARS:
        raise ServeError(f"{source} is {len(token)} characters long; use at least "
                         f"{MIN_TOKEN_CHARS}, or leave it out for a random one")
    if any(char.isspace() or not char.isprintable() for char in token):
        raise ServeError(f"{source} holds spaces or invisible characters; use letters, digits "
                         "and punctuation")
    return token


def session_command(base: Sequence[str], annotator: str | None) -> str:
    """The shell command that runs one browser session's app: ``base`` (the app's argv) with
    ``--annotator=NAME``, or ``--ask-annotator`` when ``annotator`` is None.

    ``exec``: the shell becomes the app, so the process the server starts and stops is the app
    itself and no shell is left behind. ``--annotator=NAME`` in one word: a name may start with
    a dash.
    """
    extra = [f"--annotator={annotator}"] if annotator is not None else ["--ask-annotator"]
    return "exec " + shlex.join([*base, *extra])


def start_url(host: str, port: int, token: str | None) -> str:
    """The URL the start line prints: a name others can use when ``host`` is every address."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname() or "127.0.0.1"
    if ":" in host:
        host = f"[{host.strip('[]')}]"
    query = f"?token={quote(token, safe='')}" if token else ""
    return f"http://{host}:{port}/{query}"


# --------------------------------------------------------------------- access


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


class Access:
    """Who may use the server: whoever holds the token (in the query, an ``Authorization:
    Bearer`` header, or the cookie a page with the token got). With no token, requests whose
    ``Host`` is this machine only (a page on another site cannot reach in by DNS rebinding)."""

    def __init__(self, token: str | None, port: int) -> None:
        self._token_digest = _digest(token) if token is not None else None
        self.cookie_name = f"newsmark-{port}"
        # The cookie holds a value derived from the token, not the token: a browser's cookie
        # store is one more place the token would otherwise be written down.
        self._cookie = (hmac.new(token.encode("utf-8"), b"newsmark session cookie",
                                 hashlib.sha256).hexdigest() if token is not None else "")

    @property
    def open(self) -> bool:
        """True when no token is asked for (``--no-token``)."""
        return self._token_digest is None

    @property
    def cookie_value(self) -> str:
        """The session cookie's value."""
        return self._cookie

    def token_matches(self, given: str) -> bool:
        """Whether ``given`` is the token; constant time (both sides are hashed first, so not
        even the length is told)."""
        return self._token_digest is not None and hmac.compare_digest(
            _digest(given), self._token_digest)

    def allows(self, request: web.Request) -> bool:
        """Whether ``request`` may be answered."""
        if self.open:
            return is_loopback(request.url.host or "")
        given = request.query.get("token")
        if given is not None and self.token_matches(given):
            return True
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() in ("bearer", "token") and self.token_matches(credentials.strip()):
            return True
        cookie = request.cookies.get(self.cookie_name)
        return cookie is not None and hmac.compare_digest(cookie.encode("utf-8", "replace"),
                                                          self._cookie.encode("utf-8"))


class Tickets:
    """One-time tickets, each naming the annotator of one page's session (None: ask)."""

    def __init__(self, lifetime: float = TICKET_SECONDS, limit: int = MAX_TICKETS) -> None:
        self.lifetime = lifetime
        self.limit = limit
        self._waiting: OrderedDict[str, tuple[float, str | None]] = OrderedDict()

    def issue(self, annotator: str | None) -> str:
        """A new ticket for a session of ``annotator``."""
        self._expire()
        while len(self._waiting) >= self.limit:
            self._waiting.popitem(last=False)
        ticket = secrets.token_urlsafe(18)
        self._waiting[ticket] = (time.monotonic() + self.lifetime, annotator)
        return ticket

    def take(self, ticket: str) -> tuple[bool, str | None]:
        """``(True, annotator)`` for a waiting ticket, which is used up; ``(False, None)``."""
        self._expire()
        entry = self._waiting.pop(ticket, None)
        return (True, entry[1]) if entry is not None else (False, None)

    def _expire(self) -> None:
        now = time.monotonic()
        while self._waiting:
            ticket, (deadline, _) = next(iter(self._waiting.items()))
            if deadline > now:
                break
            del self._waiting[ticket]


# --------------------------------------------------------------------- the server


@dataclass(eq=False)
class Session:
    """One browser session: its page's websocket and its app."""

    number: int
    annotator: str | None
    websocket: web.WebSocketResponse
    service: AppService | None = None
    stopping: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def who(self) -> str:
        """The annotator, for the log."""
        return self.annotator if self.annotator is not None else "(asked on the first screen)"


def _text_response(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text + "\n", content_type="text/plain",
                        headers={"Cache-Control": "no-store"})


def _denied() -> web.Response:
    return _text_response(403, "newsmark: this server needs the link with its token "
                          "(http://HOST:PORT/?token=...); ask whoever runs it for that link.")


class NewsmarkServer:
    """Serves the app: one app process per browser session, on ``host``:``port``.

    ``app_argv`` runs the app on the corpus and store (without an annotator); ``annotator`` is
    the one a page without ``?annotator=`` gets, unless ``ask_annotator``. ``log`` receives the
    start line (the only one that holds the token) and one line per session opened and closed.
    """

    def __init__(
        self,
        app_argv: Sequence[str],
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        token: str | None,
        annotator: str,
        ask_annotator: bool = False,
        title: str = "newsmark",
        log: TextIO | None = None,
    ) -> None:
        self.app_argv = list(app_argv)
        self.host = host
        self.port = port
        self.token = token
        self.annotator = annotator
        self.ask_annotator = ask_annotator
        self.title = title
        self.log = log or sys.stderr
        self.access = Access(token, port)
        self.tickets = Tickets()
        self.sessions: set[Session] = set()
        self.stopping = False
        self._opened = 0
        self._stop = asyncio.Event()
        self._downloads = DownloadManager()

    def say(self, line: str) -> None:
        """One line on the server's log."""
        print(f"newsmark serve: {line}", file=self.log, flush=True)

    # ----------------------------------------------------------------- routes

    def application(self) -> web.Application:
        """The aiohttp application: the page, its websocket, the static files; all behind
        :class:`Access`."""
        app = web.Application(middlewares=[self._guard])
        app.add_routes([
            web.get("/", self.handle_page),
            web.get("/ws/{ticket}", self.handle_websocket),
            web.static("/static", STATIC, show_index=False, follow_symlinks=False),
        ])
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler):  # noqa: ANN001 - aiohttp's type
        if self.stopping:
            return _text_response(503, "newsmark: the server is stopping.")
        if not self.access.allows(request):
            return _denied()
        return await handler(request)

    async def handle_page(self, request: web.Request) -> web.StreamResponse:
        """The page. With ``?token=``: set the cookie and send the browser to the same URL
        without it. An invalid ``?annotator=`` is a 400 that says why."""
        kept = {k: v for k, v in request.query.items() if k in PAGE_PARAMETERS}
        if len(kept) != len(request.query):
            # "./?..." keeps the page's own path, so this works behind a proxy's sub-path too.
            response = web.HTTPSeeOther(location="./" + (f"?{urlencode(kept)}" if kept else ""))
            if "token" in request.query and not self.access.open:
                response.set_cookie(
                    self.access.cookie_name, self.access.cookie_value, httponly=True,
                    samesite="Lax", secure=_is_https(request) or None)
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"
            return response
        annotator: str | None = None if self.ask_annotator else self.annotator
        if "annotator" in kept:
            try:
                annotator = annotator_name(kept["annotator"])
            except ValueError as error:
                return _text_response(400, f"newsmark: ?annotator=: {error}.")
        try:
            font_size = min(max(int(kept.get("fontsize", "16")), 6), 64)
        except ValueError:
            font_size = 16
        title = f"{self.title} — {annotator}" if annotator else self.title
        body = PAGE.substitute(
            title=html.escape(title), static="static", font_size=font_size,
            ticket=self.tickets.issue(annotator),
        )
        return web.Response(text=body, content_type="text/html", headers={
            "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
            # The page may load and connect to this server only: nothing from another host.
            "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
        })

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """A page's websocket: starts its session's app and relays keys, sizes and the screen."""
        valid, annotator = self.tickets.take(request.match_info["ticket"])
        if not valid:
            return _text_response(403, "newsmark: this page's session has expired or was "
                                  "already used; reload the page.")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        self._opened += 1
        session = Session(self._opened, annotator, websocket)
        session.service = AppService(
            session_command(self.app_argv, annotator),
            write_bytes=websocket.send_bytes, write_str=websocket.send_str,
            close=lambda: self._app_exited(session), download_manager=self._downloads,
        )
        self.sessions.add(session)
        self.say(f"session {session.number} opened for {session.who} "
                 f"({len(self.sessions)} open)")
        try:
            await session.service.start(_int(request.query.get("width"), 80),
                                        _int(request.query.get("height"), 24))
            await self._relay(websocket, session.service)
        finally:
            await self._stop_app(session)
            if not websocket.closed:
                await websocket.close(code=SERVER_STOPPED if self.stopping else WSCloseCode.OK)
            self.sessions.discard(session)
            self.say(f"session {session.number} closed ({len(self.sessions)} open)")
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], (envelope[1] if len(envelope) > 1 else None)
            except (ValueError, TypeError, IndexError, KeyError):
                continue  # not the page's protocol: ignore it, as a terminal ignores noise
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, Mapping):
                await service.set_terminal_size(_int(data.get("width"), 80),
                                                _int(data.get("height"), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _app_exited(self, session: Session) -> None:
        # The app said it is exiting (the user quit, or the server asked it to).
        if not session.websocket.closed:
            await session.websocket.close(
                code=SERVER_STOPPED if self.stopping else WSCloseCode.OK)

    async def _stop_app(self, session: Session) -> None:
        """Ask the session's app to quit and wait until it has (once, whoever asks first)."""
        if session.service is None:
            return
        if session.stopping is None:
            session.stopping = asyncio.ensure_future(session.service.stop())
        await asyncio.shield(session.stopping)

    # ----------------------------------------------------------------- running

    def request_stop(self) -> None:
        """Stop the server (what SIGTERM, SIGINT and SIGHUP do)."""
        self._stop.set()

    async def run(self) -> None:
        """Listen until :meth:`request_stop`, then stop every session and return."""
        runner = web.AppRunner(self.application(), access_log=None, handle_signals=False,
                               shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, shutdown_timeout=0.5)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            reason = ("the port is in use; pick another with --port"
                      if error.errno in (98, 48, 10048) else
                      f"{error.strerror or error}; check --host and --port")
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {reason}") from None
        self.say(f"{start_url(self.host, self.port, self.token)} (each analyst: add "
                 f"&annotator=NAME; ctrl+c stops)" if self.token else
                 f"{start_url(self.host, self.port, None)} (no token: this machine only; "
                 "ctrl+c stops)")
        try:
            await self._stop.wait()
        finally:
            started = time.monotonic()
            self.stopping = True
            await site.stop()
            await self._stop_sessions()
            await runner.cleanup()
            self.say(f"stopped in {time.monotonic() - started:.1f} s")

    async def _stop_sessions(self) -> None:
        sessions = list(self.sessions)
        if not sessions:
            return
        stops = [asyncio.ensure_future(self._stop_app(s)) for s in sessions]
        _, late = await asyncio.wait(stops, timeout=STOP_GRACE)
        if late:
            self.say(f"{len(late)} app(s) did not quit within {STOP_GRACE:g} s; leaving them "
                     "to their own SIGTERM handling")
            for task in late:
                task.cancel()
        for session in sessions:
            if not session.websocket.closed:
                await session.websocket.close(code=SERVER_STOPPED, message=b"server stopped")

    def serve(self) -> int:
        """Run until a signal stops the server; returns the exit code (0)."""

        async def main() -> None:
            loop = asyncio.get_running_loop()
            for name in ("SIGTERM", "SIGINT", "SIGHUP"):
                sig = getattr(signal, name, None)
                if sig is not None:
                    try:
                        loop.add_signal_handler(sig, self.request_stop)
                    except (NotImplementedError, RuntimeError):
                        pass  # Windows: ctrl+c arrives as KeyboardInterrupt instead
            await self.run()

        try:
            asyncio.run(main())
        except KeyboardInterrupt:
            pass
        # Everything is closed; skip the interpreter's final garbage collection over aiohttp's
        # and Textual's objects, which takes longer than the whole stop (see tui/cli.py).
        gc.freeze()
        return 0


def _int(value: object, default: int) -> int:
    try:
        return max(1, min(int(value), 1000))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _is_https(request: web.Request) -> bool:
    # Behind a TLS proxy the server sees http; the proxy says what the browser used.
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
