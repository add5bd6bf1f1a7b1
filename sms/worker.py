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
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update

from content.models import (
    DELIVERED,
    FAILED,
    QUEUED,
    SENDING,
    SENT,
    SUBSCRIBED,
    UNKNOWN,
    UNSUBSCRIBED,
    OutboundMessage,
    Subscriber,
)
from sms.sender import OPTED_OUT, ProviderError, Sender

log = logging.getLogger(__name__)

_outbox = OutboundMessage.__table__
_subscribers = Subscriber.__table__

BATCH = 50
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 2.0
LONGEST_RETRY_SECONDS = 15 * 60.0


def retry_delay(attempts: int) -> float:
    """Seconds before the next try: doubling from 2 s, at most 15 minutes, with some jitter."""
    base = min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_RETRY_SECONDS)
    return base * random.uniform(0.8, 1.2)


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient: str
    body: str
    attempts: int


class Pacer:
    """At most per_second sends a second (0: as fast as the provider answers)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


class Worker:
    def __init__(self, engine: Engine, sender: Sender, *, clock: Callable[[], datetime], per_second: float,
                 status_url: Callable[[int], str | None], stale_seconds: float) -> None:
        self.engine, self.sender, self.clock = engine, sender, clock
        self.pacer = Pacer(per_second)
        self.status_url = status_url
        self.stale = timedelta(seconds=stale_seconds)

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

    def send(self, message: Claimed) -> None:
        self.pacer.wait()
        try:
            sent = self.sender.send(message.recipient, message.body, self.status_url(message.id))
        except ProviderError as error:
            self.failed(message, error)
            return
        # A delivery report may have overtaken us: then only the provider id is missing.
        self._set(message.id, (SENDING,), status=DELIVERED if sent.delivered else SENT, provider_id=sent.provider_id, error=None)

    def failed(self, message: Claimed, error: ProviderError) -> None:
        if error.retryable and message.attempts < MAX_ATTEMPTS:
            later = self.clock() + timedelta(seconds=retry_delay(message.attempts))
            self._set(message.id, (SENDING,), status=QUEUED, next_attempt_at=later, error=str(error)[:200])
            return
        self._set(message.id, (SENDING,), status=FAILED, error=str(error)[:200])
        if error.code == OPTED_OUT:  # the number texted STOP to the provider: respect it here too
            with self.engine.begin() as connection:
                connection.execute(
                    update(_subscribers)
                    .where(_subscribers.c.number == message.recipient, _subscribers.c.status == SUBSCRIBED)
                    .values(status=UNSUBSCRIBED, stopped_at=self.clock(), updated_at=self.clock())
                )

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
        for message in batch:
            self.send(message)
        return len(batch)


def run(worker: Worker, *, until_idle: bool = False, idle_sleep: float = 1.0) -> None:
    """Send until stopped (or, with until_idle, until nothing is due)."""
    worker.reconcile()
    last_reconcile = time.monotonic()
    while True:
        if worker.work():
            continue
        if time.monotonic() - last_reconcile > worker.stale.total_seconds():
            worker.reconcile()
            last_reconcile = time.monotonic()
        if until_idle:
            return
        time.sleep(idle_sleep)
