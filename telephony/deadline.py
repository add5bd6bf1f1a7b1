"""An answer within the provider's deadline, whatever the database does.

Twilio waits 15 s for a webhook's answer and then plays its fallback; a caller should hear our
own apology long before that. Timeouts on the connection, the pool and each statement (see
content.db) end most waits, but not all: a database that stops answering in the middle of a
query holds the thread that asked until the operating system gives up, minutes later.

So each webhook's view runs on a thread of a small per-process desk, and the thread that serves
the request waits for it at most WEBHOOK_DEADLINE_SECONDS. If the view is not done by then, the
request thread raises TooLate, which the blueprint's error handler turns into its apology (it
needs no database); the view's thread finishes or fails on its own, its answer unheard. When
every thread of the desk is taken, a new request gets TooLate at once. The request threads are
never stuck, so the fallback URLs and every other webhook keep answering.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, copy_current_request_context, current_app

# Views running at once per process; more wait their turn (within the deadline).
DESK_THREADS = 16


class TooLate(Exception):
    """The view did not answer within the deadline (the database, most likely, is stuck)."""


class Desk:
    def __init__(self, threads: int = DESK_THREADS) -> None:
        self.threads = threads
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="webhook")
        self.busy = 0  # views running now, stuck ones included
        self.lock = threading.Lock()

    def answer(self, seconds: float, view: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """The view's answer to this request, or TooLate after seconds (at once when every thread
        of the desk is taken: they are stuck, and a new view would only wait behind them)."""
        with self.lock:
            if self.busy >= self.threads:
                raise TooLate("every thread is busy")
            self.busy += 1
        future = self.pool.submit(self._run, copy_current_request_context(view), *args, **kwargs)
        try:
            return future.result(timeout=seconds)
        except concurrent.futures.TimeoutError:
            raise TooLate(f"no answer within {seconds:g} s") from None

    def _run(self, view: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        finally:
            with self.lock:
                self.busy -= 1


def within_deadline(view: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run the view for this request, giving up after WEBHOOK_DEADLINE_SECONDS (raises TooLate)."""
    desk: Desk = current_app.extensions["telephony.desk"]
    return desk.answer(current_app.config["WEBHOOK_DEADLINE_SECONDS"], view, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.extensions["telephony.desk"] = Desk()
