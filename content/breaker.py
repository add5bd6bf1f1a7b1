"""When the database cannot be reached, stop trying for a moment.

A database that accepts connections and never answers makes every connection attempt wait its
full connect timeout; with many callers at once, the web threads are all waiting and answers
come late. After a failed attempt the breaker is open for COOL_DOWN_SECONDS: new connections
fail at once (the caller hears the apology at once). Then one request tries again while the
others still fail at once; if it connects, everything goes on as before.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import Engine, event

COOL_DOWN_SECONDS = 5.0


class Breaker:
    def __init__(self, cool_down: float = COOL_DOWN_SECONDS) -> None:
        self.cool_down = cool_down
        self.open_until = 0.0  # monotonic time; 0: closed, connections are tried
        self.trying = False  # one request is trying again after the cool-down
        self.lock = threading.Lock()

    def may_try(self) -> bool:
        """Whether this connection attempt may go ahead (and if so, whether it is the probe)."""
        with self.lock:
            if not self.open_until:
                return True
            if time.monotonic() < self.open_until or self.trying:
                return False
            self.trying = True
            return True

    def failed(self) -> None:
        with self.lock:
            self.open_until, self.trying = time.monotonic() + self.cool_down, False

    def succeeded(self) -> None:
        with self.lock:
            self.open_until, self.trying = 0.0, False


def guard(engine: Engine, breaker: Breaker | None = None) -> Breaker:
    """Put a breaker in front of the engine's new connections."""
    breaker = breaker or Breaker()

    @event.listens_for(engine, "do_connect")
    def connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        if not breaker.may_try():
            raise dialect.loaded_dbapi.OperationalError("the database did not answer a moment ago; not trying yet")
        try:
            connection = dialect.connect(*cargs, **cparams)
        except Exception:
            breaker.failed()
            raise
        breaker.succeeded()
        return connection

    return breaker
