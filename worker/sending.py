"""The outbox worker: takes queued messages, sends them paced, retries, and never sends one twice.

A message is claimed (status "sending", claimed_by this worker) in its own committed transaction
before the provider is asked, and marked sent or queued again afterwards. The claim is a lease:
the worker beats (outbox_worker.heartbeat_at) while it runs, and nobody else touches a message
whose worker still beats, however long the provider takes. If the worker dies, its heartbeat
stops; after STALE_SECONDS another worker asks the provider whether it has each of the dead
worker's messages: if yes, the row is marked sent; if surely not, it is queued again; if the
provider cannot tell, the row is marked "unknown" for staff to see.

Several workers share the work. The claim first selects at most one batch of ids (on PostgreSQL
FOR UPDATE SKIP LOCKED, so workers take different rows), then updates exactly those ids: the
batch size holds whatever plan the database picks (a single UPDATE … WHERE id IN (SELECT … LIMIT)
was planned on a fresh, unanalysed table so that one worker took every row). Every later write
names the claim it belongs to (owner and attempt), so a worker that lost its lease cannot
overwrite what another did since.

SMS and news calls are claimed apart (channel "sms" and "call"), so that calls, slow and kept to
their calling hours, never hold up an SMS: this module sends the SMS, worker/calling.py places
the calls with the same lease, from a thread of its own (run) paced by its own Pacer.
"""

from __future__ import annotations

import logging
import math
import os
import random
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Connection, Engine, String, bindparam, delete, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from content.db import WRITE_LOCK, insert_or_keep
from content.failures import log_failure
from content.models import (
    DELIVERED,
    FAILED,
    QUEUED,
    SENDING,
    SENT,
    SMS,
    UNKNOWN,
    Base,
    OutboundMessage,
    OutboxWorker,
    UTCDateTime,
)
from content.outbox import end_subscriptions
from content.phone import is_simulated
from telephony.messages import ProviderError, Sender, Sent

log = logging.getLogger(__name__)

_outbox = Base.metadata.tables[OutboundMessage.__tablename__]
_workers = Base.metadata.tables[OutboxWorker.__tablename__]

BATCH = 50
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 2.0
LONGEST_RETRY_SECONDS = 15 * 60.0


# One statement for a whole batch of outcomes; next_attempt_at stays as it was unless given.
_RECORD = (
    update(_outbox)
    .where(
        _outbox.c.id == bindparam("message_id"),
        _outbox.c.status == SENDING,
        _outbox.c.claimed_by == bindparam("owner"),
        _outbox.c.attempts == bindparam("attempt"),
    )
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
    window: str | None = None  # news calls: the calling window it may ring in


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
class Abandoned:
    """A message a dead worker left "sending", as it was when we looked."""

    id: int
    recipient: str
    body: str
    claimed_at: datetime
    attempts: int
    claimed_by: str | None = None  # None: no worker held it (a call left to be looked up)


def first_for_each(found: Iterable[tuple[int, str]]) -> list[int]:
    """The ids of the first message to each recipient among those found (in the order found)."""
    first: dict[str, int] = {}
    for message_id, recipient in found:
        first.setdefault(recipient, message_id)
    return list(first.values())


class Calls(Protocol):
    """What places the news calls beside the SMS (worker/calling.py), with this worker's lease."""

    # Set while the worker stops: a call still waiting for its turn is put back, not placed.
    stopping: threading.Event

    def work(self) -> int:
        """Place one batch of calls that are due; return how many were taken and not put back."""
        ...

    def reconcile(self) -> int:
        """Settle the calls dead workers left "sending"; return how many."""
        ...


@dataclass(frozen=True)
class Outcome:
    message: Claimed
    sent: Sent | None = None
    error: ProviderError | None = None
    # Not sent: the worker could not show it was alive for a while (paused, or the database
    # away), so another worker may have taken the message over.
    held_back: bool = False


def worker_name() -> str:
    """A name no other worker has, and that tells staff where it runs: host, process, random."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"


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
        self.name = worker_name()
        self.pacer = Pacer(per_second)
        self.status_url = status_url
        self.stale = timedelta(seconds=stale_seconds)
        self.last_beat = time.monotonic()  # when this worker last showed it was alive
        # Requests to the provider overlap: the worker waits on the network, not on each answer.
        self.pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="outbox-send")
        # The news calls, placed beside the SMS (set by worker.cli; None: this worker places none).
        self.calls: Calls | None = None

    def beat(self, connection: Connection | None = None) -> None:
        """Show that this worker is alive (and so still holds the messages it claimed)."""
        now = self.clock()
        statement = (
            insert_or_keep(self.engine.dialect.name, _workers)
            .values(name=self.name, started_at=now, heartbeat_at=now)
            .on_conflict_do_update(index_elements=[_workers.c.name], set_={"heartbeat_at": now})
        )
        if connection is not None:
            connection.execute(statement)
            return
        with self.engine.begin() as own:
            own.execute(statement)
        self.last_beat = time.monotonic()

    def holds_lease(self) -> bool:
        """Whether this worker surely still holds its messages: it showed it was alive within
        half of STALE_SECONDS, so nobody can have taken them over yet."""
        return time.monotonic() - self.last_beat < self.stale.total_seconds() / 2

    def retire(self) -> None:
        """A clean stop: this worker holds nothing any more."""
        with self.engine.begin() as connection:
            connection.execute(delete(_workers).where(_workers.c.name == self.name))

    def claim(self, limit: int = BATCH) -> list[Claimed]:
        """Take at most limit due SMS for this worker, in one committed transaction."""
        return self.take(self.clock(), [_outbox.c.channel == SMS], limit)

    def take(
        self,
        now: datetime,
        which: list[ColumnElement[bool]],
        limit: int,
        *,
        one_each: bool = False,
        in_turn: int | None = None,
    ) -> list[Claimed]:
        """Take at most limit due messages of those `which` selects, in one committed transaction.

        one_each: at most one message per recipient (the first), the others wait for a later claim.
        in_turn: on PostgreSQL, the key of a lock (pg_advisory_xact_lock) the claim holds until it
        commits, so that claims with this key happen one after the other, each seeing what the
        one before took (SQLite's write lock does that for every claim)."""
        due = (
            select(_outbox.c.id, _outbox.c.recipient)
            .where(_outbox.c.status == QUEUED, *which, _outbox.c.next_attempt_at <= now)
            .order_by(_outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.engine.connect().execution_options(**{WRITE_LOCK: True}) as connection, connection.begin():
            if in_turn is not None and connection.dialect.name == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(in_turn)))
            found = connection.execute(due).all()
            ids = first_for_each((row.id, row.recipient) for row in found) if one_each else [row.id for row in found]
            if not ids:
                return []
            self.beat(connection)
            rows = connection.execute(
                update(_outbox)
                .where(_outbox.c.id.in_(ids), _outbox.c.status == QUEUED)
                .values(
                    status=SENDING,
                    claimed_at=now,
                    claimed_by=self.name,
                    attempts=_outbox.c.attempts + 1,
                    updated_at=now,
                )
                .returning(_outbox.c.id, _outbox.c.recipient, _outbox.c.body, _outbox.c.attempts, _outbox.c.window)
            ).all()
        self.last_beat = time.monotonic()
        return sorted((Claimed(*row) for row in rows), key=lambda c: c.id)

    def attempt(self, message: Claimed) -> Outcome:
        if is_simulated(message.recipient):  # the simulator's phone: it never reaches the provider
            return Outcome(message, sent=Sent(provider_id=f"SIMULATED{message.id:012d}", delivered=True))
        self.pacer.wait()
        if not self.holds_lease():
            return Outcome(message, held_back=True)
        try:
            return Outcome(message, sent=self.sender.send(message.recipient, message.body, self.status_url(message.id)))
        except ProviderError as error:
            return Outcome(message, error=error)

    def changes(self, outcome: Outcome) -> dict[str, Any]:
        """What the outbox row becomes after this attempt."""
        if outcome.held_back:  # queued again, unless another worker has taken it over meanwhile
            return {"new_status": QUEUED, "new_provider_id": None, "new_error": None, "retry_at": self.clock()}
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
        rows = [
            {"message_id": o.message.id, "owner": self.name, "attempt": o.message.attempts, "updated": now}
            | self.changes(o)
            for o in outcomes
        ]
        opted_out = [o.message.recipient for o in outcomes if o.error is not None and o.error.recipient_opted_out]
        with self.engine.begin() as connection:
            connection.execute(_RECORD, rows)
            end_subscriptions(connection, opted_out, now)  # they texted STOP to the provider

    def abandoned(self, channel: str = SMS) -> list[Abandoned]:
        """Messages (of channel) left "sending" by a worker that stopped beating more than
        STALE_SECONDS ago."""
        cutoff = self.clock() - self.stale
        alive = select(_workers.c.name).where(_workers.c.heartbeat_at >= cutoff)
        stale = select(
            _outbox.c.id,
            _outbox.c.recipient,
            _outbox.c.body,
            _outbox.c.claimed_at,
            _outbox.c.attempts,
            _outbox.c.claimed_by,
        ).where(
            _outbox.c.status == SENDING,
            _outbox.c.channel == channel,
            _outbox.c.claimed_at < cutoff,
            or_(_outbox.c.claimed_by.is_(None), _outbox.c.claimed_by.not_in(alive)),
        )
        with self.engine.connect() as connection:
            return [Abandoned(*row) for row in connection.execute(stale)]

    def _settle(self, message: Abandoned, **values: Any) -> None:
        """Settle an abandoned message, unless someone else did since we looked (same claim only)."""
        with self.engine.begin() as connection:
            connection.execute(
                update(_outbox)
                .where(
                    _outbox.c.id == message.id,
                    _outbox.c.status == SENDING,
                    _outbox.c.attempts == message.attempts,
                )
                .values(updated_at=self.clock(), **values)
            )

    def reconcile(self) -> int:
        """Settle the messages dead workers left "sending": sent, queued again, or unknown (the
        news calls first, by worker/calling.py)."""
        calls = self.calls.reconcile() if self.calls is not None else 0
        messages = self.abandoned()
        for message in messages:
            try:
                provider_id = self.sender.find(message.recipient, message.body, message.claimed_at - timedelta(days=1))
            except ProviderError:
                self._settle(message, status=UNKNOWN, error="worker stopped while sending")
                continue
            if provider_id:
                self._settle(message, status=SENT, provider_id=provider_id)
            else:
                self._settle(message, status=QUEUED, next_attempt_at=self.clock())
        self.forget_the_dead()
        return calls + len(messages)

    def forget_the_dead(self) -> None:
        """Drop workers silent for long and holding nothing: the list stays short."""
        cutoff = self.clock() - self.stale
        holding = select(_outbox.c.claimed_by).where(_outbox.c.status == SENDING, _outbox.c.claimed_by.is_not(None))
        with self.engine.begin() as connection:
            connection.execute(
                delete(_workers).where(_workers.c.heartbeat_at < cutoff, _workers.c.name.not_in(holding))
            )

    def work(self) -> int:
        """Send one batch of SMS; return how many messages were taken."""
        batch = self.claim()
        if batch:
            self.record(list(self.pool.map(self.attempt, batch)))
        return len(batch)


class Heartbeat:
    """Beats for the worker from its own thread, so that a slow batch never looks like a dead worker."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.every = min(max(worker.stale.total_seconds() / 4, 0.05), 15.0)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="outbox-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                self.worker.beat()
            except SQLAlchemyError:  # the database is away; the next beat tries again
                log.warning("outbox worker could not show it is alive; trying again")

    def __enter__(self) -> Heartbeat:
        self.worker.beat()
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopped.set()
        self.thread.join()
        self.worker.retire()


def run(
    worker: Worker, *, until_idle: bool = False, idle_sleep: float = 1.0, chores: Callable[[], None] | None = None
) -> None:
    """Send until stopped (or, with until_idle, until nothing is due); do the chores when idle.
    News calls are placed from a thread of their own, so that neither waits for the other's pace
    (with until_idle: in turn with the SMS, until neither has anything due).
    The database away for a moment (a lock wait, a failover) is waited out, not fatal."""
    with Heartbeat(worker), _placing(worker.calls, alongside=not until_idle, idle_sleep=idle_sleep) as placing:
        last_reconcile = -math.inf
        while True:
            placing.check()
            try:
                if worker.work() + placing.work():
                    continue
                if time.monotonic() - last_reconcile > worker.stale.total_seconds():
                    last_reconcile = time.monotonic()
                    if worker.reconcile():
                        continue  # some may be queued again: send them
                if chores is not None:
                    chores()
            except SQLAlchemyError as error:
                if until_idle:
                    raise
                log_failure(log, "outbox worker: the database did not answer; trying again shortly", error)
            if until_idle:
                return
            time.sleep(idle_sleep)


class _Placing:
    """The news calls beside the SMS: in a thread of their own, or (inline) in the SMS's turn."""

    def __init__(self, calls: Calls | None, *, alongside: bool, idle_sleep: float) -> None:
        self.calls, self.idle_sleep = calls, idle_sleep
        self.stopped = threading.Event()
        self.failure: BaseException | None = None
        self.thread = (
            threading.Thread(target=self._place, name="outbox-calls") if calls is not None and alongside else None
        )

    def work(self) -> int:
        """Inline: place one batch now. Alongside, the thread does that: nothing here."""
        return self.calls.work() if self.calls is not None and self.thread is None else 0

    def check(self) -> None:
        """Stop the worker if the thread placing the calls has stopped (a fault, not a database
        away): the Procfile starts it again, instead of SMS going out while calls never do."""
        if self.thread is not None and not self.thread.is_alive():
            raise RuntimeError("the outbox worker stopped placing news calls") from self.failure

    def _place(self) -> None:
        assert self.calls is not None
        try:
            while not self.stopped.is_set():
                try:
                    if self.calls.work():
                        continue
                except SQLAlchemyError as error:
                    log_failure(log, "outbox worker: the database did not answer; calls wait a moment", error)
                self.stopped.wait(self.idle_sleep)
        except Exception as error:  # a fault: check() raises it in the worker's own thread
            self.failure = error


@contextmanager
def _placing(calls: Calls | None, *, alongside: bool, idle_sleep: float) -> Iterator[_Placing]:
    placing = _Placing(calls, alongside=alongside, idle_sleep=idle_sleep)
    if placing.thread is not None:
        placing.thread.start()
    try:
        yield placing
    finally:
        placing.stopped.set()
        if placing.thread is not None:
            assert calls is not None
            calls.stopping.set()  # the calls of the batch under way that wait for their turn go back
            placing.thread.join()
            calls.stopping.clear()
