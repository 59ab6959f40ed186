"""``newsmark serve`` in a real browser: Debian's headless Chromium, driven by selenium.

The page is opened from the start line's link, keys are typed into its terminal (xterm.js's
input element, as a person's keyboard does), and the tags are read back from the store on disk.
Chromium's performance log lists every request the page makes and every websocket frame, which
is how "nothing from another host" and "the other annotator's tag appears" are checked.
Without Chromium, chromedriver or selenium (``.ci/run`` installs them when it can) the tests
skip, saying which is missing. Nothing is fetched from anywhere but the server on 127.0.0.1.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serving import (
    STOP_BOUND,
    chromium_missing,
    frames_received,
    performance_events,
    requested_urls,
    served,
    session_apps,
    start_chromium,
    wait_for,
    websocket_ids,
)
from tui.store import Store

MISSING = chromium_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module (starting one costs ~1 s)."""
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """The browser on a fresh tab, its performance log emptied; tabs opened are closed after."""
    first = browser.current_window_handle
    browser.get("about:blank")
    performance_events(browser)
    yield browser
    for handle in browser.window_handles:
        if handle != first:
            browser.switch_to.window(handle)
            browser.close()
    browser.switch_to.window(first)
    browser.get("about:blank")
    browser.delete_all_cookies()


def tags(store: Path) -> set[tuple[str, str, str]]:
    """(annotator, tag, quote) of every annotation on disk."""
    if not store.exists():
        return set()
    return {(a.annotator, a.tag, a.text) for a in Store(store, annotator="r").read_all()[0]}


class DevTools:
    """The browser's performance log, kept: reading it empties Chromium's copy."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.events: list[dict[str, Any]] = []

    def poll(self) -> list[dict[str, Any]]:
        """Every event so far."""
        self.events += performance_events(self.driver)
        return self.events

    def drawn(self, request_id: str, since: int = 0) -> str:
        """The text websocket ``request_id`` received, from event number ``since`` on."""
        return "".join(text for _, text in frames_received(self.poll()[since:], request_id))


def open_app(driver: Any, url: str, log: DevTools) -> tuple[Any, str]:
    """Load ``url`` in the current tab and wait until the app's first screen is drawn (its
    footer has come through the websocket): the terminal's input and the websocket's id."""
    from selenium.webdriver.common.by import By

    known = set(websocket_ids(log.poll()))
    driver.get(url)
    assert wait_for(lambda: set(websocket_ids(log.poll())) - known, 30), driver.page_source[:500]
    (socket_id,) = set(websocket_ids(log.events)) - known
    assert wait_for(lambda: "Quit" in log.drawn(socket_id), 60), log.drawn(socket_id)[-500:]
    return driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea"), socket_id


def test_a_page_tags_into_the_store_and_loads_nothing_from_another_host(
        page: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    store = tmp_path / "store"
    with served(store) as server:
        log = DevTools(page)
        terminal, _ = open_app(page, server.url + "&annotator=carol", log)
        assert page.current_url == server.base + "?annotator=carol"  # the token left the bar
        assert page.title == "newsmark — carol"
        terminal.send_keys(Keys.ENTER)  # open the first article: the reader has the cursor
        terminal.send_keys("j")         # the second sentence
        terminal.send_keys("c")         # tag it a claim
        assert wait_for(lambda: {t[:2] for t in tags(store)} == {("carol", "claim")}, 30), \
            tags(store)
        # The served font is the one the terminal draws with.
        assert page.execute_script("return document.fonts.check('16px \"Roboto Mono\"')")
        urls = requested_urls(log.poll())
        own = (server.base, server.base.replace("http://", "ws://"))
        foreign = [u for u in urls if not u.startswith(own) and not u.startswith("data:")]
        assert not foreign, foreign
        assert any("RobotoMono" in u for u in urls) and any("/ws/" in u for u in urls)
        assert [u for u in urls if server.token in u] == [server.url + "&annotator=carol"]
        errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
    assert server.output().count(server.token) == 1


def test_stopping_the_server_tells_each_open_page(page: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    store = tmp_path / "store"
    with served(store) as server:
        log = DevTools(page)
        open_app(page, server.url + "&annotator=one", log)
        first = page.current_window_handle
        page.switch_to.new_window("tab")
        open_app(page, server.url + "&annotator=two", log)
        assert wait_for(lambda: len(session_apps(store)) == 2, 30)
        seconds, code = server.stop()
    assert code == 0 and seconds < STOP_BOUND, (seconds, server.output())
    assert not session_apps(store)
    for handle in (first, page.current_window_handle):
        page.switch_to.window(handle)
        message = page.find_element(By.ID, "closed-message")
        assert wait_for(lambda m=message: m.is_displayed(), 10)  # noqa: B023
        assert "server stopped" in message.text
        assert page.find_element(By.TAG_NAME, "body").get_attribute("data-close-code") == "1001"
    for noise in ("Traceback", "Warning", "Error", "is closed"):
        assert noise not in server.output()


def test_two_sessions_tag_as_two_annotators_and_see_each_others_tags(
        page: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    store = tmp_path / "store"
    with served(store) as server:
        log = DevTools(page)
        dana, _ = open_app(page, server.url + "&annotator=dana", log)
        dana_tab = page.current_window_handle
        page.switch_to.new_window("tab")
        eve, eve_socket = open_app(page, server.url + "&annotator=eve", log)
        eve.send_keys(Keys.ENTER)
        time.sleep(1.0)  # eve's reader is drawn; what follows comes from dana's tag alone
        # The list shows the first article's tag counts, claim first: none yet.
        assert "1 · · ·" not in log.drawn(eve_socket)
        since = len(log.poll())

        page.switch_to.window(dana_tab)
        dana.send_keys(Keys.ENTER)
        dana.send_keys("c")
        assert wait_for(lambda: {t[:2] for t in tags(store)} == {("dana", "claim")}, 30)
        # Eve typed nothing since: her page redraws with dana's claim counted (live reload).
        assert wait_for(lambda: "1 · · ·" in log.drawn(eve_socket, since), 15), \
            log.drawn(eve_socket, since)[-500:]

        page.switch_to.window(page.window_handles[-1])
        eve.send_keys("j")
        eve.send_keys("t")
        assert wait_for(lambda: {t[:2] for t in tags(store)} == {
            ("dana", "claim"), ("eve", "threat")}, 30), tags(store)
    quotes = {annotator: quote for annotator, _, quote in tags(store)}
    assert quotes["dana"] != quotes["eve"]  # each tagged the sentence under her own cursor
