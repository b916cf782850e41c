"""Waiting in tests: poll until something holds, or until nothing more happens.

One bounded polling loop for every test, so that a test says *what* it waits for and how
long it may take, and a test that gives up says so in the same words everywhere:
``gave up waiting for <what> after <N> s``.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast, overload

T = TypeVar("T")

_SHOWN = 300  # characters of the last value a failure message shows


def _gave_up(what: str, timeout_s: float, last: object) -> AssertionError:
    seen = repr(last)
    if len(seen) > _SHOWN:
        seen = seen[:_SHOWN] + "…"
    return AssertionError(f"gave up waiting for {what} after {timeout_s:g} s (last: {seen})")


def _check_bounds(timeout_s: float, every_s: float) -> None:
    if timeout_s < 0 or every_s <= 0:
        raise ValueError("timeout_s must be >= 0 and every_s > 0")


async def _ask(condition: Callable[[], Any]) -> Any:
    value = condition()
    if inspect.isawaitable(value):
        value = await value
    return value


@overload
async def until(
    condition: Callable[[], Awaitable[T | None]],
    what: str,
    *,
    timeout_s: float = 60.0,
    every_s: float = 0.1,
) -> T: ...


@overload
async def until(
    condition: Callable[[], T | None],
    what: str,
    *,
    timeout_s: float = 60.0,
    every_s: float = 0.1,
) -> T: ...


async def until(
    condition: Callable[[], Any],
    what: str,
    *,
    timeout_s: float = 60.0,
    every_s: float = 0.1,
) -> Any:
    """Ask ``condition`` (sync or async) every ``every_s`` until it answers something truthy,
    and return that answer; raise ``AssertionError`` once ``timeout_s`` has passed without one.

    The condition is asked at once, and once more at the deadline. What it raises is not
    caught: a probe that fails fails the wait.
    """
    _check_bounds(timeout_s, every_s)
    deadline = time.monotonic() + timeout_s
    while True:
        value = await _ask(condition)
        if value:
            return value
        left = deadline - time.monotonic()
        if left <= 0:
            raise _gave_up(what, timeout_s, value)
        await asyncio.sleep(min(every_s, left))


async def quiet_for(
    count: Callable[[], int] | Callable[[], Awaitable[int]],
    what: str,
    *,
    quiet_s: float = 1.0,
    timeout_s: float = 60.0,
    every_s: float = 0.1,
) -> int:
    """Wait until nothing more arrives: until ``count`` (sync or async) has not changed for
    ``quiet_s``, and return it; raise ``AssertionError`` if it still changes after ``timeout_s``.

    For a test that must see that nothing *more* happens (no duplicate, no second reply):
    it watches for at least ``quiet_s``, and longer while things still arrive.
    """
    _check_bounds(timeout_s, every_s)
    if not 0 <= quiet_s <= timeout_s:
        raise ValueError("quiet_s must be >= 0 and at most timeout_s")
    started = time.monotonic()
    deadline = started + timeout_s
    last = cast(int, await _ask(count))
    since = started
    while True:
        now = time.monotonic()
        if now - since >= quiet_s:
            return last
        if now >= deadline:
            raise _gave_up(f"{what} to stop changing", timeout_s, last)
        await asyncio.sleep(min(every_s, quiet_s - (now - since), deadline - now))
        current = cast(int, await _ask(count))
        if current != last:
            last, since = current, time.monotonic()
