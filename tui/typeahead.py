"""Keys typed ahead land where they were meant: one key is handled completely before the next.

A terminal delivers keys in bursts: a fast typist, a paste without bracketed-paste mode, or an
SSH link that hands over several keystrokes in one read. Textual reads them all into the app's
queue at once and routes each to the widget that has the focus *when the app reads it*; the
key's binding runs only after the key has bubbled back up to the app. So ``/sanctions`` sent
in one read opens the search prompt, but ``s a n c t i o n s`` were all routed to the reader
before the prompt existed, and ran there as commands.

:class:`TypeAhead` makes the app take keys one at a time. The app hands it every key (and
paste) it reads; it routes the first through Textual's own machinery and holds the rest until
that key has *settled*:

1. the key has travelled up from the widget it was routed to, through each of its ancestors,
   to the app, which ran its binding (this is how Textual resolves non-priority bindings);
2. the app has run what that binding asked it to do next (a deferred ``focus()``, the result
   callback of a dismissed screen);
3. the screen now on top has processed its pending messages: a screen the key opened has
   composed, mounted and taken the focus.

Only then is the next key routed, to whatever now has the focus. Keys that cannot change where
the next key goes (a cursor move, a letter typed into a box) are not waited for: they reach the
same widget, whose queue keeps them in order (see :class:`Effect`). Each step is a callback
queued behind the key's own messages (``call_later``), so "settled" means "every queue the key
went through has reached it", not a guess at a delay. A step whose widget went away before
running its callback is given up after :data:`STEP_TIMEOUT`, so a key can never wedge input.

Actions that change where the next key goes (open a prompt, a screen, move the focus) must do
it in the action itself, not by posting a message for someone to act on later: that second
message would not be waited for. The key table (:mod:`tui.keys`) puts such actions on the app.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

#: How long one settling step waits for its callback (seconds). A step takes well under a
#: millisecond on an idle machine, and can take a good part of a second on a loaded one; this
#: only matters if a widget is removed with the callback still queued.
STEP_TIMEOUT = 3.0


@dataclass(frozen=True)
class Effect:
    """What routing a key will do, as far as the order of keys is concerned.

    ``routes``: it may change where the next key goes (open or close a screen or prompt, move
    the focus), so the next key waits until it has settled. ``at_once``: its binding runs while
    it is routed (a priority binding), so it reads state that the keys before it may still be
    changing in a widget's queue: it waits until they have settled.
    """

    routes: bool = True
    at_once: bool = False


#: A key that neither moves the focus nor runs at once (typed into a box, a cursor move).
NEUTRAL = Effect(routes=False)


class TypeAhead:
    """Routes an app's keys and pastes in order, each after what it depends on has settled.

    ``route`` is the app's own handling of one event (``App.on_event`` of the base class);
    ``effect`` says what a key will do (:class:`Effect`); by default every key routes.

    Keys that change nothing about routing (cursor moves, letters typed into a box) are not
    waited for: they go to the same widget, whose queue keeps them in order. A key that routes
    is waited for before the next is routed; a key that runs at once waits for those before it.
    """

    def __init__(self, app: App[object], route: Callable[[events.Event], Awaitable[None]],
                 effect: Callable[[events.Event], Effect] | None = None, *,
                 held: bool = False) -> None:
        self.app = app
        # Held: nothing is routed until release() (the app is not ready for keys yet).
        self._held = held
        self._route = route
        self._effect = effect or (lambda event: Effect())
        self._waiting: deque[events.Event] = deque()
        self._busy = False
        self._in_flight: list[MessagePump] = []
        self._settling: asyncio.Task[None] | None = None
        #: Keys and pastes routed so far (for tests and the benchmark).
        self.routed = 0
        #: Settling steps given up after :data:`STEP_TIMEOUT` (should stay 0).
        self.timeouts = 0

    @staticmethod
    def takes(event: events.Event) -> bool:
        """True for what a person types: keys and pastes not yet routed by the app."""
        return isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded

    @property
    def pending(self) -> int:
        """Keys and pastes read but not routed yet."""
        return len(self._waiting)

    @property
    def idle(self) -> bool:
        """True when every key read has been routed and has settled."""
        return not self._busy and not self._waiting

    async def feed(self, event: events.Event) -> None:
        """Take a key or paste the app has read: route it now, or after those before it."""
        self._waiting.append(event)
        if not self._busy and not self._held:
            await self._route_waiting()

    def release(self) -> None:
        """Start routing: the app is ready for keys (its first screen is up, with the focus
        where the first key goes). What was typed meanwhile goes now, in order: keys typed
        while the app was starting (they wait in the terminal) are not lost on a screen
        still being built."""
        if not self._held:
            return
        self._held = False
        if self._waiting and not self._busy:
            self.app.call_later(self._route_waiting)

    async def _route_waiting(self) -> None:
        """Route what is waiting, in order, until a key must be waited for."""
        self._busy = True
        app = self.app
        while self._waiting:
            event = self._waiting[0]
            effect = self._effect(event)
            if effect.at_once and self._in_flight:
                self._settle_then_continue(self._in_flight)
                return
            self._waiting.popleft()
            target = app.focused or app.screen
            await self._route(event)
            self.routed += 1
            # Routed to a widget, the key travels up through its ancestors to the app.
            path: list[MessagePump] = list(target.ancestors_with_self) if event.is_forwarded else []
            if not path or path[-1] is not app:
                path.append(app)
            if effect.routes:
                self._settle_then_continue(path)
                return
            if event.is_forwarded:
                self._in_flight = path
        self._busy = False

    def _settle_then_continue(self, path: list[MessagePump]) -> None:
        self._in_flight = []
        self._settling = asyncio.create_task(self._settle(path))

    async def _settle(self, path: list[MessagePump]) -> None:
        app = self.app
        for node in path:
            await self._step(node)
        # What the binding asked for next (a deferred focus, a dismissed screen's callback),
        # then the screen now on top (a screen just opened composes and takes the focus).
        await self._step(app.screen)
        if app.is_running:
            app.call_later(self._route_waiting)

    async def _step(self, node: MessagePump) -> None:
        reached = asyncio.Event()
        if not node.call_later(reached.set):
            return  # the widget is closing: nothing more will happen there
        try:
            await asyncio.wait_for(reached.wait(), STEP_TIMEOUT)
        except asyncio.TimeoutError:
            self.timeouts += 1

    def stop(self) -> None:
        """Forget what is waiting (the app is closing)."""
        self._waiting.clear()
        if self._settling is not None:
            self._settling.cancel()
