"""Placing the news calls: which are due, how one is placed, and what its outbox row becomes.

A news call is an outbox row with channel "call" (content.news_calls). The worker claims calls
apart from SMS, with the same lease (worker/sending.py), and only those whose calling window is
open now (content.calling_hours: never at night, on Sundays or public holidays); it places them
through the provider's dialler, paced by CALLS_PER_SECOND. A placed call is "sent" (ringing);
what happens on the line is reported to the voice webhooks at ANSWER_PATH and STATUS_PATH,
which content.news_calls turns into delivered, tried again in a later window, or given up.

Each call is placed with its outbox id and its try (the attempts counted by its claim) in the
webhook URLs, ?call=<id>&try=<n>, so that a report about an earlier try is never taken for this
one; and with a fallback URL of its own, since the console's fallback applies only to calls made
to the number.

Never two calls at once to one number: a claim skips a number that has a call being placed,
ringing or on the line, and takes at most one call for each number; the next rings after that
one is over.
Claims of calls happen one after the other (SQLite's write lock; on PostgreSQL a lock the claim
holds until it commits), so that two workers cannot each take a call to the same number in the
same instant.

Just before it dials, the worker looks once more (one query): a call the resident stopped or
erased since the claim (its row is no longer "sending" for this worker and this try) is not
placed, and a call none of whose news is public any more (expired, archived, or moved to later)
is taken back (deleted), as content.news_calls.withdraw takes back a call not yet claimed.

A call that was not placed after all goes back to "queued" and its try is given back (a try
counts only when the provider was asked): its window closed while it waited for its turn, the
worker could not show it was alive, or the worker is stopping. A call the provider turned away
for too many requests at once (429) goes back too, its try given back: throttling is no try of
the resident's. It waits the longer the more such answers come in a row (doubling up to
sending.LONGEST_RETRY_SECONDS), so that a provider that says 429 for good is asked rarely, never
in a tight loop; it is never given up for that alone.

A call whose request may have reached the provider though no proper answer came back (a timeout
or a reset after sending, or the provider's own trouble, 5xx) may be ringing: it is not placed
again blindly. It stays "sending", held by no worker, and is looked up at the provider like the
calls of a dead worker, after OUTBOX_STALE_SECONDS (by then the provider has surely finished with
the request): found, it is ringing; surely not, it is queued again with backoff, the try
counted; the provider cannot tell, "unknown". Its own status reports, should it ring, settle it
before that as they settle any call.

A call the provider refuses for good (a number that cannot be called) is over at once and
forgets the number, like one given up.
"""

from __future__ import annotations

import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, Select, String, bindparam, delete, func, or_, select, update

from content import calling_hours
from content.models import (
    CALL,
    CALL_FAILED,
    DELIVERED,
    FAILED,
    MORNING,
    QUEUED,
    SENDING,
    SENT,
    UNKNOWN,
    Announcement,
    Base,
    OutboundMessage,
    Setting,
    UTCDateTime,
)
from content.news_calls import read_plan
from content.phone import is_simulated
from content.profile import TownProfile, profile_from_settings
from telephony.calls import Dialler
from telephony.messages import ProviderError
from worker.call_ends import LOOK_AFTER
from worker.sending import MAX_ATTEMPTS, Abandoned, Claimed, Pacer, Worker, retry_delay

_outbox = Base.metadata.tables[OutboundMessage.__tablename__]
_settings = Base.metadata.tables[Setting.__tablename__]
_news = Base.metadata.tables[Announcement.__tablename__]

# Where the provider asks what a news call says once it is answered, where it asks when that
# fails, and where it reports how the call goes (the voice menu's news-call webhooks), each with
# ?call=<outbox id>&try=<the try placed>.
ANSWER_PATH = "/voice/news-call"
STATUS_PATH = "/voice/news-call/status"
FALLBACK_PATH = "/voice/news-call/fallback"
# The key of the lock that makes the workers' claims of calls on PostgreSQL take turns ("News").
CLAIMS_IN_TURN = 0x4E657773
# A batch of calls holds its rows about this long at the configured pace (at 1 call a second, ten
# calls): short enough that the end of a window, a stop or a second worker is never far off, and
# long enough that claiming a batch costs nothing against the pace.
BATCH_SECONDS = 10
MOST_IN_A_BATCH = 50
# Our clock and the provider's may differ a little. A dead worker placed its calls after it claimed
# them, so they are looked for from this long before: well under news_calls.RETRY_GAP, so that an
# earlier try of the same call, which rang and ended, is never taken for this one.
CLOCK_SKEW = timedelta(minutes=10)

# One statement for a batch of outcomes: only rows still "sending" in this very claim change, so
# that a report that overtook us (the resident answered before we wrote "sent") is kept.
_THIS_TRY = (
    _outbox.c.id == bindparam("call_id"),
    _outbox.c.status == SENDING,
    _outbox.c.claimed_by == bindparam("owner"),
    _outbox.c.attempts == bindparam("attempt"),
)
_RECORD = (
    update(_outbox)
    .where(*_THIS_TRY)
    .values(
        status=bindparam("new_status"),
        claimed_by=bindparam("new_owner", type_=String()),
        attempts=bindparam("new_attempts"),
        provider_id=func.coalesce(bindparam("new_provider_id", type_=String()), _outbox.c.provider_id),
        recipient=func.coalesce(bindparam("new_recipient", type_=String()), _outbox.c.recipient),
        call_outcome=func.coalesce(bindparam("new_outcome", type_=String()), _outbox.c.call_outcome),
        error=bindparam("new_error", type_=String()),
        next_attempt_at=func.coalesce(bindparam("retry_at", type_=UTCDateTime()), _outbox.c.next_attempt_at),
        updated_at=bindparam("updated", type_=UTCDateTime()),
    )
)
# A call none of whose news is public any more is taken back (this try, still this worker's).
_TAKE_BACK = delete(_outbox).where(*_THIS_TRY)


def batch_size(per_second: float) -> int:
    """How many calls one claim takes: about BATCH_SECONDS of them at this pace."""
    if per_second <= 0:
        return MOST_IN_A_BATCH
    return max(1, min(MOST_IN_A_BATCH, round(per_second * BATCH_SECONDS)))


def simulated_id(call_id: int) -> str:
    """The provider id of a news call to the simulator's phone, which rings in the browser."""
    return f"SIMULATED{call_id:012d}"


def town_profile(connection: Connection) -> TownProfile:
    """The town profile as its Setting rows say now (the worker has no request and no session)."""
    return profile_from_settings(
        {key: value for key, value in connection.execute(select(_settings.c.key, _settings.c.value))}
    )


def calling_day_begun(profile: TownProfile, now: datetime) -> date | None:
    """Today in the town, once its first calling window has opened; None before that."""
    local = now.astimezone(ZoneInfo(profile.timezone))
    first = min(calling_hours.span(profile, window)[0] for window in profile.calling_hours)
    return local.date() if local.time() >= first else None


def ringing_numbers(now: datetime) -> Select[tuple[str]]:
    """The numbers a news call may be ringing at, or be on the line with, now: being placed, or
    placed less than call_ends.LOOK_AFTER ago and not yet over: ringing (sent), or answered
    (delivered) and its end not yet reported (content.news_calls forgets the number then). A call
    whose end was never reported lasts no longer than that: it is looked up, and the number is
    free for the next call."""
    return select(_outbox.c.recipient).where(
        _outbox.c.channel == CALL,
        _outbox.c.status.in_([SENDING, SENT, DELIVERED]),
        _outbox.c.recipient != "",
        or_(_outbox.c.status == SENDING, _outbox.c.claimed_at > now - LOOK_AFTER),
    )


def public_now(news: tuple[int, ...], now: datetime) -> ColumnElement[bool]:
    """In SQL: whether any of these announcements is public now (as Announcement.is_public says)."""
    return (
        select(_news.c.id)
        .where(
            _news.c.id.in_(news),
            _news.c.publish_at <= now,
            or_(_news.c.expires_at.is_(None), _news.c.expires_at > now),
        )
        .exists()
    )


@dataclass(frozen=True)
class Placed:
    """What became of one claimed call."""

    call: Claimed
    provider_id: str | None = None  # placed (or ringing in the simulator): the provider's id of it
    error: ProviderError | None = None
    put_back: bool = False  # not placed after all: nothing happened
    gone: bool = False  # stopped, erased or no longer this try since the claim: not placed, nothing to write
    outdated: bool = False  # none of its news is public any more: not placed, taken back
    wait: float = 0.0  # turned away for too many requests: seconds until it is asked for again


def changes(placed: Placed, now: datetime) -> dict[str, Any]:
    """What the outbox row becomes after this attempt (new_owner None: held by no worker)."""
    attempts = placed.call.attempts
    same: dict[str, Any] = {
        "new_attempts": attempts,
        "new_provider_id": None,
        "new_recipient": None,
        "new_outcome": None,
        "new_error": None,
        "retry_at": None,
    }
    if placed.put_back:  # the try is given back; the call waits for its window again
        return same | {"new_status": QUEUED, "new_attempts": attempts - 1, "retry_at": now}
    if placed.provider_id is not None:
        return same | {"new_status": SENT, "new_provider_id": placed.provider_id}
    error = placed.error
    assert error is not None
    said = str(error)[:200]  # telephony.twilio keeps phone numbers out of it
    if error.throttled:  # the provider did nothing: no try of the resident's
        later = now + timedelta(seconds=placed.wait)
        return same | {"new_status": QUEUED, "new_attempts": attempts - 1, "new_error": said, "retry_at": later}
    if error.perhaps_done:  # it may ring: left to be looked up (reconcile), by no worker
        return same | {"new_status": SENDING, "new_owner": None, "new_error": said}
    if error.retryable and attempts < MAX_ATTEMPTS:  # the claim keeps it to its window
        later = now + timedelta(seconds=retry_delay(attempts))
        return same | {"new_status": QUEUED, "new_error": said, "retry_at": later}
    # Refused for good: the call is over, and keeps no number (as content.news_calls does).
    return same | {"new_status": FAILED, "new_outcome": CALL_FAILED, "new_recipient": "", "new_error": said}


def _settled(connection: Connection, call: Abandoned, now: datetime, **values: Any) -> None:
    """Settle a call left "sending" (by a dead worker, or to be looked up), unless someone else
    did since we looked."""
    connection.execute(
        update(_outbox)
        .where(_outbox.c.id == call.id, _outbox.c.status == SENDING, _outbox.c.attempts == call.attempts)
        .values(updated_at=now, **values)
    )


class Throttled:
    """How long calls the provider turned away for too many requests wait: doubling with each such
    answer in a row (sending.retry_delay, at most LONGEST_RETRY_SECONDS), from the start again once
    a call is placed."""

    def __init__(self) -> None:
        self.in_a_row = 0
        self.lock = threading.Lock()

    def again(self) -> float:
        with self.lock:
            self.in_a_row += 1
            return retry_delay(self.in_a_row)

    def over(self) -> None:
        with self.lock:
            self.in_a_row = 0


class CallPlacer:
    """Places the news calls that are due, under the lease of the worker it belongs to."""

    def __init__(
        self, worker: Worker, dialler: Dialler, *, per_second: float, base_url: str, concurrency: int = 4
    ) -> None:
        self.worker, self.dialler = worker, dialler
        self.pacer = Pacer(per_second)  # its own: calls never wait for the pace of SMS
        self.batch = batch_size(per_second)
        self.base_url = base_url.rstrip("/")
        self.stopping = threading.Event()
        self.throttled = Throttled()
        self.pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="outbox-call")

    def _url(self, path: str, call_id: int, attempt: int) -> str:
        return f"{self.base_url}{path}?call={call_id}&try={attempt}"

    def answer_url(self, call_id: int, attempt: int) -> str:
        return self._url(ANSWER_PATH, call_id, attempt)

    def status_url(self, call_id: int, attempt: int) -> str:
        return self._url(STATUS_PATH, call_id, attempt)

    def fallback_url(self, call_id: int, attempt: int) -> str:
        return self._url(FALLBACK_PATH, call_id, attempt)

    def claim(self) -> tuple[TownProfile, list[Claimed]]:
        """At most one batch of the calls due now in a window that is open, with the town profile
        that says which are open (none at night, on Sundays and holidays: then nothing is taken);
        none to a number a call may be ringing at, and one at most to each number."""
        now = self.worker.clock()
        with self.worker.engine.connect() as connection:
            profile = town_profile(connection)
        windows = calling_hours.open_windows(profile, now)
        if not windows:
            return profile, []
        which = [
            _outbox.c.channel == CALL,
            _outbox.c.window.in_(windows),
            _outbox.c.recipient.not_in(ringing_numbers(now)),
        ]
        return profile, self.worker.take(now, which, self.batch, one_each=True, in_turn=CLAIMS_IN_TURN)

    def still_wanted(self, call: Claimed) -> tuple[bool, bool]:
        """Whether the call is still this worker's to place, this try (nobody stopped or erased it
        since the claim), and whether any of its news is public now: one query."""
        ours = (
            select(_outbox.c.id)
            .where(
                _outbox.c.id == call.id,
                _outbox.c.status == SENDING,
                _outbox.c.claimed_by == self.worker.name,
                _outbox.c.attempts == call.attempts,
            )
            .exists()
        )
        news = public_now(read_plan(call.body), self.worker.clock())
        with self.worker.engine.connect() as connection:
            found = connection.execute(select(ours, news)).one()
        return bool(found[0]), bool(found[1])

    def attempt(self, call: Claimed, profile: TownProfile) -> Placed:
        simulated = is_simulated(call.recipient)  # the simulator's phone: it never reaches the provider
        if not simulated:
            self.pacer.wait()
            if self.stopping.is_set() or not self.worker.holds_lease():
                return Placed(call, put_back=True)
            if not calling_hours.is_open(profile, call.window or MORNING, self.worker.clock()):
                return Placed(call, put_back=True)  # its window closed while it waited for its turn
        ours, current = self.still_wanted(call)
        if not ours:
            return Placed(call, gone=True)
        if not current:
            return Placed(call, outdated=True)
        if simulated:
            return Placed(call, provider_id=simulated_id(call.id))
        urls = (url(call.id, call.attempts) for url in (self.answer_url, self.status_url, self.fallback_url))
        try:
            placed = self.dialler.place(call.recipient, *urls)
        except ProviderError as error:
            return Placed(call, error=error, wait=self.throttled.again() if error.throttled else 0.0)
        self.throttled.over()
        return Placed(call, provider_id=placed)

    def record(self, outcomes: list[Placed]) -> None:
        """Write a batch's outcomes in one transaction."""
        now, owner = self.worker.clock(), self.worker.name
        rows = [
            {"call_id": o.call.id, "owner": owner, "attempt": o.call.attempts, "updated": now, "new_owner": owner}
            | changes(o, now)
            for o in outcomes
            if not (o.gone or o.outdated)
        ]
        taken_back = [
            {"call_id": o.call.id, "owner": owner, "attempt": o.call.attempts} for o in outcomes if o.outdated
        ]
        with self.worker.engine.begin() as connection:
            if rows:
                connection.execute(_RECORD, rows)
            if taken_back:
                connection.execute(_TAKE_BACK, taken_back)

    def work(self) -> int:
        """Place one batch; return how many calls were taken and not put back (a batch that all
        went back is no reason to look again at once)."""
        profile, batch = self.claim()
        if not batch:
            return 0
        outcomes = list(self.pool.map(functools.partial(self.attempt, profile=profile), batch))
        self.record(outcomes)
        return sum(not outcome.put_back for outcome in outcomes)

    def reconcile(self) -> int:
        """Settle the calls left "sending" by dead workers, or to be looked up after the provider
        gave no proper answer: ringing (the provider has it), queued again (it surely has not), or
        unknown (it cannot tell)."""
        calls = self.worker.abandoned(CALL)
        for call in calls:
            try:
                found = self.dialler.find(call.recipient, call.claimed_at - CLOCK_SKEW)
            except ProviderError:
                why = "the provider could not tell whether it rang" if asked(call) else "worker stopped placing it"
                with self.worker.engine.begin() as connection:
                    _settled(connection, call, self.worker.clock(), status=UNKNOWN, error=why)
                continue
            self._settle(call, found)
        return len(calls)

    def _settle(self, call: Abandoned, found: list[str]) -> None:
        """Ringing as the newest call found that no other row holds (another news item's call to
        the same number is not this one); none: queued again, its try given back when the provider
        was never asked (a dead worker's), counted with backoff when it was."""
        now = self.worker.clock()
        with self.worker.engine.begin() as connection:
            held = select(_outbox.c.provider_id).where(_outbox.c.provider_id.in_(found), _outbox.c.id != call.id)
            taken = set(connection.scalars(held)) if found else set()
            ours = next((provider_id for provider_id in found if provider_id not in taken), None)
            if ours is not None:
                _settled(connection, call, now, status=SENT, provider_id=ours)
            elif not asked(call):
                _settled(connection, call, now, status=QUEUED, attempts=call.attempts - 1, next_attempt_at=now)
            elif call.attempts < MAX_ATTEMPTS:
                later = now + timedelta(seconds=retry_delay(call.attempts))
                _settled(connection, call, now, status=QUEUED, next_attempt_at=later)
            else:  # the provider's trouble, try after try: given up, and the number forgotten
                _settled(connection, call, now, status=FAILED, call_outcome=CALL_FAILED, recipient="")


def asked(call: Abandoned) -> bool:
    """Whether the provider was asked to place this call and gave no proper answer (a call left to
    be looked up is held by no worker), rather than a dead worker left it."""
    return call.claimed_by is None
