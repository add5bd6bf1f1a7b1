"""The outbox worker: takes queued messages, sends them paced, retries, and never sends one twice.

A message is claimed (status "sending") in its own committed transaction before the provider is
asked, and marked sent or queued again afterwards. If the worker dies in between, the row stays
"sending"; after STALE_SECONDS a worker asks the provider whether it has the message: if yes, the
row is marked sent; if surely not, it is queued again; if the provider cannot tell, the row is
marked "unknown" for staff to see. Several workers share the work: on PostgreSQL each claims
rows with FOR UPDATE SKIP LOCKED, so no row is taken twice.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, String, bindparam, func, select, update

from content.models import (
    DELIVERED,
    FAILED,
    QUEUED,
    SENDING,
    SENT,
    UNKNOWN,
    Base,
    OutboundMessage,
    UTCDateTime,
)
from content.outbox import end_subscriptions
from content.phone import is_simulated
from telephony.messages import ProviderError, Sender, Sent

log = logging.getLogger(__name__)

_outbox = Base.metadata.tables[OutboundMessage.__tablename__]

BATCH = 50
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 2.0
LONGEST_RETRY_SECONDS = 15 * 60.0


# One statement for a whole batch of outcomes; next_attempt_at stays as it was unless given.
_RECORD = (
    update(_outbox)
    .where(_outbox.c.id == bindparam("message_id"), _outbox.c.status == SENDING)
    .values(
        status=bindparam("new_status"),
        provider_id=func.coalesce(bindparam("new_provider_id", type_=String()), _outbox.c.provider_id),
        error=bindparam("new_error", type_=String()),
        next_attempt_at=func.coalesce(bindparam("retry_at", type_=UTCDateTime()), _outbox.c.next_attempt_at),
        updated_at=bindparam("updated", type_=UTCDateTime()),
    )
)


def retry_delay(attempts: int) -> float:
    """Seconds before the next try: doubling from 2 s, at most 15 minutes, with some jitter."""
    base: float = min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS)
    return base * random.uniform(0.8, 1.2)


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient: str
    body: str
    attempts: int


class Pacer:
    """At most per_second sends a second across the worker's threads (0: no limit)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_at = time.monotonic()
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            slot = max(self.next_at, now)
            self.next_at = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


@dataclass(frozen=True)
class Outcome:
    message: Claimed
    sent: Sent | None = None
    error: ProviderError | None = None


class Worker:
    def __init__(
        self,
        engine: Engine,
        sender: Sender,
        *,
        clock: Callable[[], datetime],
        per_second: float,
        status_url: Callable[[int], str | None],
        stale_seconds: float,
        concurrency: int = 4,
    ) -> None:
        self.engine, self.sender, self.clock = engine, sender, clock
        self.pacer = Pacer(per_second)
        self.status_url = status_url
        self.stale = timedelta(seconds=stale_seconds)
        # Requests to the provider overlap: the worker waits on the network, not on each answer.
        self.pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="outbox-send")

    def claim(self, limit: int = BATCH) -> list[Claimed]:
        now = self.clock()
        due = (
            select(_outbox.c.id)
            .where(_outbox.c.status == QUEUED, _outbox.c.next_attempt_at <= now)
            .order_by(_outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(_outbox)
            .where(_outbox.c.id.in_(due.scalar_subquery()), _outbox.c.status == QUEUED)
            .values(status=SENDING, claimed_at=now, attempts=_outbox.c.attempts + 1, updated_at=now)
            .returning(_outbox.c.id, _outbox.c.recipient, _outbox.c.body, _outbox.c.attempts)
        )
        with self.engine.begin() as connection:
            rows = connection.execute(claim).all()
        return sorted((Claimed(*row) for row in rows), key=lambda c: c.id)

    def _set(self, message_id: int, only_if: tuple[str, ...], **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(_outbox)
                .where(_outbox.c.id == message_id, _outbox.c.status.in_(only_if))
                .values(updated_at=self.clock(), **values)
            )

    def attempt(self, message: Claimed) -> Outcome:
        if is_simulated(message.recipient):  # the simulator's phone: it never reaches the provider
            return Outcome(message, sent=Sent(provider_id=f"SIMULATED{message.id:012d}", delivered=True))
        self.pacer.wait()
        try:
            return Outcome(message, sent=self.sender.send(message.recipient, message.body, self.status_url(message.id)))
        except ProviderError as error:
            return Outcome(message, error=error)

    def changes(self, outcome: Outcome) -> dict[str, Any]:
        """What the outbox row becomes after this attempt."""
        if outcome.sent is not None:
            status = DELIVERED if outcome.sent.delivered else SENT
            return {
                "new_status": status,
                "new_provider_id": outcome.sent.provider_id,
                "new_error": None,
                "retry_at": None,
            }
        error, attempts = outcome.error, outcome.message.attempts
        assert error is not None
        if error.retryable and attempts < MAX_ATTEMPTS:
            later = self.clock() + timedelta(seconds=retry_delay(attempts))
            return {"new_status": QUEUED, "new_provider_id": None, "new_error": str(error)[:200], "retry_at": later}
        return {"new_status": FAILED, "new_provider_id": None, "new_error": str(error)[:200], "retry_at": None}

    def record(self, outcomes: list[Outcome]) -> None:
        """Write a batch's outcomes in one transaction (a report that overtook us is kept)."""
        now = self.clock()
        rows = [{"message_id": o.message.id, "updated": now, **self.changes(o)} for o in outcomes]
        opted_out = [o.message.recipient for o in outcomes if o.error is not None and o.error.recipient_opted_out]
        with self.engine.begin() as connection:
            connection.execute(_RECORD, rows)
            end_subscriptions(connection, opted_out, now)  # they texted STOP to the provider

    def reconcile(self) -> int:
        """Settle messages a dead worker left "sending": sent, queued again, or unknown."""
        cutoff = self.clock() - self.stale
        stale = select(_outbox.c.id, _outbox.c.recipient, _outbox.c.body, _outbox.c.claimed_at).where(
            _outbox.c.status == SENDING, _outbox.c.claimed_at < cutoff
        )
        with self.engine.connect() as connection:
            rows = connection.execute(stale).all()
        for message_id, recipient, body, claimed_at in rows:
            try:
                provider_id = self.sender.find(recipient, body, claimed_at - timedelta(days=1))
            except ProviderError:
                self._set(message_id, (SENDING,), status=UNKNOWN, error="worker stopped while sending")
                continue
            if provider_id:
                self._set(message_id, (SENDING,), status=SENT, provider_id=provider_id)
            else:
                self._set(message_id, (SENDING,), status=QUEUED, next_attempt_at=self.clock())
        return len(rows)

    def work(self) -> int:
        """Send one batch; return how many messages were taken."""
        batch = self.claim()
        if batch:
            self.record(list(self.pool.map(self.attempt, batch)))
        return len(batch)


def run(
    worker: Worker, *, until_idle: bool = False, idle_sleep: float = 1.0, chores: Callable[[], None] | None = None
) -> None:
    """Send until stopped (or, with until_idle, until nothing is due); do the chores when idle."""
    worker.reconcile()
    last_reconcile = time.monotonic()
    while True:
        if worker.work():
            continue
        if time.monotonic() - last_reconcile > worker.stale.total_seconds():
            worker.reconcile()
            last_reconcile = time.monotonic()
        if chores is not None:
            chores()
        if until_idle:
            return
        time.sleep(idle_sleep)
