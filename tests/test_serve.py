"""``newsmark serve``: access by token, one annotator per page, a prompt and clean stop.

Servers are real processes on free ports of 127.0.0.1; pages are opened as a browser opens them
(the token link, its redirect and cookie, the page's websocket) with aiohttp; keys go through
the websocket as xterm.js sends them, and the tags are read back from the store on disk. The
real-browser tests are in test_serve_browser.py.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.serving import SEEDS, STOP_BOUND, free_port, open_page, served, session_apps
from tui.cli import build_parser, main
from tui.model import MAX_ANNOTATOR_CHARS, annotator_name
from tui.store import Store

aiohttp = pytest.importorskip("aiohttp", reason="textual-serve (and aiohttp) not installed")

from tui.serve import (  # noqa: E402 - needs aiohttp
    TOKEN_ENV,
    Access,
    ServeError,
    Tickets,
    choose_token,
    is_loopback,
    session_command,
)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """A GET that does not follow redirects: status, headers, body."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def tags(store: Path) -> list[tuple[str, str]]:
    """(annotator, tag) of every annotation in the store on disk."""
    if not store.exists():
        return []
    return sorted((a.annotator, a.tag) for a in Store(store, annotator="reader").read_all()[0])


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          timeout=timeout, env=environment, cwd=cwd)


# --------------------------------------------------------------------- settings


def test_a_random_token_unless_one_is_given() -> None:
    first = choose_token(None, no_token=False, host="127.0.0.1", environ={})
    second = choose_token(None, no_token=False, host="127.0.0.1", environ={})
    assert first and second and first != second and len(first) >= 32
    assert choose_token("a-long-token", no_token=False, host="0.0.0.0",
                        environ={}) == "a-long-token"


def test_the_token_variable_is_used_and_taken_out_of_the_environment() -> None:
    environ = {TOKEN_ENV: "from-the-environment", "OTHER": "x"}
    assert choose_token(None, no_token=False, host="0.0.0.0", environ=environ) == \
        "from-the-environment"
    assert environ == {"OTHER": "x"}  # the apps the server starts never see it
    # --token wins over the variable, which is still taken out.
    environ = {TOKEN_ENV: "from-the-environment"}
    assert choose_token("given-on-the-line", no_token=False, host="::1",
                        environ=environ) == "given-on-the-line"
    assert TOKEN_ENV not in environ


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2", "[::1]"])
def test_no_token_is_allowed_on_this_machine_only(host: str) -> None:
    assert is_loopback(host)
    assert choose_token(None, no_token=True, host=host, environ={}) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "example.org", ""])
def test_no_token_elsewhere_refuses_with_the_reason(host: str) -> None:
    assert not is_loopback(host)
    with pytest.raises(ServeError, match="--no-token is allowed only on 127.0.0.1 or ::1"):
        choose_token(None, no_token=True, host=host, environ={})


@pytest.mark.parametrize(("given", "problem"), [
    ("", "is empty"), ("   ", "is empty"), ("short", "at least 8"),
    ("has a space in it", "spaces or invisible"), ("ends\x1b[31mred", "spaces or invisible"),
])
def test_a_bad_token_is_refused(given: str, problem: str) -> None:
    with pytest.raises(ServeError, match=problem):
        choose_token(given, no_token=False, host="127.0.0.1", environ={})
    with pytest.raises(ServeError, match=f"^{TOKEN_ENV} .*{problem}"):
        choose_token(None, no_token=False, host="127.0.0.1", environ={TOKEN_ENV: given})


def test_token_and_no_token_contradict() -> None:
    with pytest.raises(ServeError, match="contradict"):
        choose_token("a-long-token", no_token=True, host="127.0.0.1", environ={})


def test_tokens_are_compared_whole() -> None:
    access = Access("the-right-token", 8000)
    assert access.token_matches("the-right-token")
    for wrong in ("the-right-toke", "the-right-token ", "THE-RIGHT-TOKEN", "", "x" * 1000):
        assert not access.token_matches(wrong)
    assert access.cookie_value and "the-right-token" not in access.cookie_value
    assert Access(None, 8000).open and not Access(None, 8000).token_matches("")


def test_a_ticket_is_used_once_and_expires() -> None:
    tickets = Tickets(lifetime=60, limit=3)
    alice, asking = tickets.issue("alice"), tickets.issue(None)
    assert tickets.take(alice) == (True, "alice")
    assert tickets.take(alice) == (False, None)
    assert tickets.take(asking) == (True, None)
    crowd = [tickets.issue(f"n{i}") for i in range(5)]
    assert tickets.take(crowd[0]) == (False, None)  # the oldest make room
    assert tickets.take(crowd[-1]) == (True, "n4")
    old = Tickets(lifetime=0.0)
    expired = old.issue("bob")
    time.sleep(0.01)
    assert old.take(expired) == (False, None)


def test_each_session_runs_the_app_itself_as_its_annotator() -> None:
    base = [sys.executable, "-m", "tui", "open", "/corpus with space", "--store", "/s"]
    command = session_command(base, "-dash first; rm -rf /")
    assert command.startswith("exec ")
    import shlex

    words = shlex.split(command)
    assert words[1:] == [*base, "--annotator=-dash first; rm -rf /"]
    assert shlex.split(session_command(base, None))[-1] == "--ask-annotator"


# --------------------------------------------------------------------- annotator names


@pytest.mark.parametrize(("raw", "name"), [
    ("alice", "alice"), ("  bob  ", "bob"), ("Jose\u0301 García", "José García"),
    ("a" * MAX_ANNOTATOR_CHARS, "a" * MAX_ANNOTATOR_CHARS), ("-dash", "-dash"),
])
def test_annotator_names_are_trimmed_and_composed(raw: str, name: str) -> None:
    assert annotator_name(raw) == name


@pytest.mark.parametrize(("raw", "problem"), [
    ("", "empty"), ("   ", "empty"), ("a" * (MAX_ANNOTATOR_CHARS + 1), "at most 64"),
    ("red\x1b[31m", "U+001B"), ("two\nlines", "U+000A"), ("zero\u200bwidth", "U+200B"),
    ("bidi\u202eevil", "U+202E"), ("tab\there", "U+0009"),
])
def test_bad_annotator_names_say_what_is_wrong(raw: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        annotator_name(raw)


def test_the_cli_checks_annotator_as_serve_does(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    code = main(["list", "--corpus", str(SEEDS), "--store", str(tmp_path / "s"),
                 "--annotator", "x\x1b[2J"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "--annotator:" in err and "U+001B" in err and "\x1b" not in err


def test_serve_arguments_and_help() -> None:
    parser = build_parser()
    args = parser.parse_args(["serve"])
    assert (args.host, args.port, args.token, args.no_token, args.ask_annotator) == (
        "127.0.0.1", 8000, None, False, False)
    serve = parser._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    text = serve.format_help()
    for needed in ("--token", "--no-token", "--ask-annotator", "ssh -L", "403", "annotator"):
        assert needed in text


# --------------------------------------------------------------------- refusing to start


def test_no_token_on_every_address_refuses_in_one_line(tmp_path: Path) -> None:
    port = free_port()
    done = run_cli("serve", str(SEEDS), "--host", "0.0.0.0", "--port", str(port), "--no-token",
                   "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--no-token is allowed only on" in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("args", [
    ["missing-folder"], ["--token", "short"], ["--port", "0"], ["--annotator", "a\x07b"],
])
def test_bad_serve_arguments_are_one_line(tmp_path: Path, args: list[str]) -> None:
    done = run_cli("serve", "--port", str(free_port()), *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("newsmark: "), done.stderr
    assert "Traceback" not in done.stderr


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with served(tmp_path / "store") as server:
        done = run_cli("serve", str(SEEDS), "--port", str(server.port), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "port is in use" in done.stderr, done.stderr


# --------------------------------------------------------------------- access


def test_without_the_token_everything_is_403(tmp_path: Path) -> None:
    with served(tmp_path / "store") as server:
        base, token = server.base, server.token
        assert server.url == f"{base}?token={token}"
        for path in ("", "?annotator=alice", "static/js/textual.js", "static/",
                     "static/fonts/RobotoMono-VariableFont_wght.ttf", "ws/anything",
                     f"?token={token[:-1]}", f"?token={token}x"):
            status, _, body = get(base + path)
            assert status == 403, path
            assert "token" in body and token not in body
        # The websocket too, before any upgrade: no app is started.
        status, _, _ = get(base + "ws/x", {"Connection": "Upgrade", "Upgrade": "websocket",
                                            "Sec-WebSocket-Version": "13",
                                            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
        assert status == 403
        assert not session_apps(server.store)


def test_the_token_link_sets_a_cookie_and_leaves_the_address_bar(tmp_path: Path) -> None:
    with served(tmp_path / "store") as server:
        status, headers, _ = get(server.url + "&annotator=alice&ping=http://elsewhere.test/")
        assert status == 303
        assert headers["Location"] == "./?annotator=alice"  # no token, no foreign ping URL
        cookie = headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert server.token not in cookie
        name_value = cookie.split(";")[0]
        status, headers, page = get(server.base + "?annotator=alice", {"Cookie": name_value})
        assert status == 200 and server.token not in page
        assert "newsmark — alice" in page
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Cache-Control"] == "no-store"
        assert re.search(r'new URL\("ws/[A-Za-z0-9_-]+"', page)
        assert "https://" not in page and "http://" not in page  # every URL is relative
        status, _, script = get(server.base + "static/js/textual.js", {"Cookie": name_value})
        assert status == 200 and "WebSocket" in script
        # A header works for scripts, as Jupyter's does.
        status, _, _ = get(server.base, {"Authorization": f"Bearer {server.token}"})
        assert status == 200
        # The directory listing textual-serve turns on is off.
        status, _, _ = get(server.base + "static/", {"Cookie": name_value})
        assert status in (403, 404)


def test_a_bad_annotator_in_the_link_is_a_400_that_says_why(tmp_path: Path) -> None:
    with served(tmp_path / "store") as server:
        auth = {"Authorization": f"Bearer {server.token}"}
        status, _, body = get(server.base + "?annotator=%1B%5B31mred", auth)
        assert status == 400 and "U+001B" in body and body.count("\n") == 1
        status, _, body = get(server.base + "?annotator=" + "x" * 65, auth)
        assert status == 400 and "at most 64" in body


def test_the_websocket_needs_the_cookie_and_a_fresh_ticket(tmp_path: Path) -> None:
    async def scenario(url: str, base: str, token: str) -> None:
        # A ticket from an authorised page, used without the cookie: refused.
        async with aiohttp.ClientSession(
                headers={"Authorization": f"Bearer {token}"}) as authorised:
            async with authorised.get(base) as reply:
                ticket = re.search(r'ws/([A-Za-z0-9_-]+)"', await reply.text()).group(1)
        async with aiohttp.ClientSession() as stranger:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await stranger.ws_connect(f"{base}ws/{ticket}?width=80&height=24")
            assert refused.value.status == 403
        # With the cookie, a used or made-up ticket is refused too.
        page = await open_page(url)
        try:
            assert await page.read_until("Articles")
            with pytest.raises(aiohttp.WSServerHandshakeError) as reused:
                await page.http.ws_connect(f"{base}ws/{page.ticket}")
            assert reused.value.status == 403
            with pytest.raises(aiohttp.WSServerHandshakeError) as made_up:
                await page.http.ws_connect(f"{base}ws/made-up")
            assert made_up.value.status == 403
        finally:
            await page.close()

    with served(tmp_path / "store") as server:
        asyncio.run(scenario(server.url, server.base, server.token))


def test_no_token_on_this_machine_lets_in_local_names_only(tmp_path: Path) -> None:
    with served(tmp_path / "store", "--no-token") as server:
        assert "token" not in server.url and "this machine only" in server.output()
        assert get(server.base)[0] == 200
        assert get(f"http://localhost:{server.port}/")[0] == 200
        # A page of another site that rebinds its name to 127.0.0.1 is still refused.
        assert get(server.base, {"Host": f"attacker.example:{server.port}"})[0] == 403


# --------------------------------------------------------------------- sessions and stopping


def test_two_pages_tag_as_two_annotators_and_the_token_goes_nowhere(tmp_path: Path) -> None:
    store = tmp_path / "store"

    async def scenario(url: str) -> None:
        alice = await open_page(url + "&annotator=alice")
        bob = await open_page(url + "&annotator=" + "b%C3%B6b")
        try:
            for page in (alice, bob):
                assert await page.read_until("Articles"), page.screen[-300:]
            await alice.keys("\r", "c")           # the first article; its first sentence
            await bob.keys("\r", "j", "t")        # its second sentence, as a threat
            ok = False
            deadline = time.monotonic() + 20
            while not ok and time.monotonic() < deadline:
                found = set(tags(store))
                ok = {("alice", "claim"), ("böb", "threat")} <= found
                await asyncio.sleep(0.1)
            assert ok, found
        finally:
            await alice.close()
            await bob.close()

    with served(store, "--annotator", "server-user") as server:
        asyncio.run(scenario(server.url))
        token = server.token
        deadline = time.monotonic() + 10
        while session_apps(store) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not session_apps(store), "closing a page ends its app"
        seconds, code = server.stop()
    assert code == 0
    log = server.output()
    assert log.count(token) == 1 and token in log.splitlines()[0]
    assert "session 1 opened for alice" in log and "opened for böb" in log
    for path in store.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
    for fmt in ("json", "jsonl", "csv", "w3c"):
        exported = run_cli("export", "--format", fmt, "--store", str(store), "--corpus",
                           str(SEEDS), cwd=tmp_path)
        assert exported.returncode == 0 and exported.stdout
        assert token not in exported.stdout and "alice" in exported.stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_it_with_pages_open_in_time_and_cleanly(
        tmp_path: Path, sig: signal.Signals) -> None:
    store = tmp_path / "store"
    with served(store) as server:

        async def scenario() -> tuple[float, int, list[int | None]]:
            pages = [await open_page(server.url + f"&annotator=a{i}") for i in range(2)]
            try:
                for page in pages:
                    assert await page.read_until("Articles")
                await pages[0].keys("\r", "c")  # a write the stop must not lose
                deadline = time.monotonic() + 20
                while not tags(store) and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
                assert len(session_apps(store)) == 2
                loop = asyncio.get_running_loop()
                stopping = loop.run_in_executor(None, server.stop, sig)
                # Read both at once, as two browsers would (each answers the close at once).
                codes = await asyncio.gather(*(page.read_until_closed() for page in pages))
                seconds, code = await stopping
                return seconds, code, codes
            finally:
                for page in pages:
                    await page.http.close()

        seconds, code, close_codes = asyncio.run(scenario())
    assert code == 0, server.output()
    assert seconds < STOP_BOUND, f"stopped in {seconds:.2f} s"
    assert list(close_codes) == [1001, 1001]  # the pages are told the server stopped
    assert not session_apps(store), "an app outlived the server"
    assert tags(store) == [("a0", "claim")]
    log = server.output()
    for noise in ("Traceback", "Warning", "warning", "Error", "is closed", "Task was destroyed"):
        assert noise not in log, log
    assert "stopped in" in log.splitlines()[-1]


def test_the_server_imports_no_textual() -> None:
    done = subprocess.run([sys.executable, "-c", "import sys, tui.serve; print(sorted(m for m in "
                           "sys.modules if m.split('.')[0] == 'textual'))"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_page_without_a_name_asks_for_one(tmp_path: Path) -> None:
    store = tmp_path / "store"

    async def scenario(url: str) -> None:
        page = await open_page(url)
        try:
            assert await page.read_until("Who is annotating?"), page.screen[-500:]
            await page.keys(*"frank", "\r", "\r", "c")
            deadline = time.monotonic() + 20
            while tags(store) != [("frank", "claim")] and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert tags(store) == [("frank", "claim")]
        finally:
            await page.close()

    with served(store, "--ask-annotator", "--annotator", "server-user") as server:
        asyncio.run(scenario(server.url))
        assert "opened for (asked on the first screen)" in server.output()
