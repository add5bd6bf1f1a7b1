"""Slowing down password guessing: alike for every address, and without locking anyone out.

Failed logins are counted in the database, which every web process shares, by three kinds of
counter, each named by a keyed digest and never by the address or the IP itself:

- an address from one source (an IPv4 address, or an IPv6 /64): after FREE_FROM_ONE_SOURCE
  failures in a row, each further attempt must first wait FIRST_WAIT, doubling with every
  failure up to LONGEST_WAIT;
- an address from anywhere: the same after FREE_FROM_ANYWHERE failures, against guessing from
  many sources;
- an address in a known browser, one where this account has logged in before (a signed cookie,
  web.staff.browsers): there only the browser's own counter applies, so that whoever guesses
  a colleague's address cannot lock the colleague out.

Every address is counted and answered alike, whether it has an account or not: the same "not
right" after the same password check (against a dummy hash when there is no account), and while
a counter says wait, the same "wait" before any password is checked. A right password clears
the counters it was checked against; failures FORGET_AFTER old are forgotten.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from content.models import Base, LoginFailure

FREE_FROM_ONE_SOURCE = 3
FREE_FROM_ANYWHERE = 10
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(days=1)
_MOST_DOUBLINGS = 16  # FIRST_WAIT doubled this often is far beyond LONGEST_WAIT

_failures = Base.metadata.tables[LoginFailure.__tablename__]


@dataclass(frozen=True)
class Counter:
    key: str  # names the counter: a keyed digest of its kind, the address and the source or browser
    address: str  # a keyed digest of the address, so that a new password can clear all its counters
    free: int  # failures in a row before attempts must wait


def digest(secret: str, *parts: str) -> str:
    return hmac.new(secret.encode(), "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def source_of(remote_addr: str | None) -> str:
    """Where an attempt comes from: the IP address; for IPv6 its /64, which one household or server has."""
    try:
        ip = ipaddress.ip_address(remote_addr or "")
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def counters(secret: str, email: str, source: str, known_browser: str | None) -> list[Counter]:
    """The counters an attempt for this address is checked against and counted on."""
    address = email.strip().lower()
    of_address = digest(secret, "address", address)
    if known_browser is not None:
        return [Counter(digest(secret, "browser", known_browser, address), of_address, FREE_FROM_ONE_SOURCE)]
    return [
        Counter(digest(secret, "source", source, address), of_address, FREE_FROM_ONE_SOURCE),
        Counter(of_address, of_address, FREE_FROM_ANYWHERE),
    ]


def wait_after(failures: int, last_failed_at: datetime, free: int, now: datetime) -> timedelta:
    """How long the next attempt must wait after these failures in a row (zero: it may try now)."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, _MOST_DOUBLINGS)  # a bounded number: timedelta overflows at 2**44 seconds
    wait = min(FIRST_WAIT * (1 << doublings), LONGEST_WAIT)
    left: timedelta = max(last_failed_at + wait - now, timedelta(0))
    return left


def wait(session: Session, checked: list[Counter], now: datetime) -> timedelta:
    """The longest wait any of these counters asks for."""
    free = {counter.key: counter.free for counter in checked}
    rows = session.execute(
        select(LoginFailure.counter, LoginFailure.failures, LoginFailure.last_failed_at).where(
            LoginFailure.counter.in_(free), LoginFailure.last_failed_at > now - FORGET_AFTER
        )
    )
    return max((wait_after(failures, last, free[key], now) for key, failures, last in rows), default=timedelta(0))


def count_failure(session: Session, checked: list[Counter], now: datetime) -> None:
    """One more failure on each counter; counters whose last failure is old start again (the caller commits)."""
    session.execute(delete(LoginFailure).where(LoginFailure.last_failed_at <= now - FORGET_AFTER))
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for counter in checked:
        statement = insert(_failures).values(
            counter=counter.key, address=counter.address, failures=1, last_failed_at=now
        )
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[_failures.c.counter],
                set_={"failures": _failures.c.failures + 1, "last_failed_at": statement.excluded.last_failed_at},
            )
        )


def clear(session: Session, checked: list[Counter]) -> None:
    """After the right password: these counters start again (the caller commits)."""
    session.execute(delete(LoginFailure).where(LoginFailure.counter.in_([counter.key for counter in checked])))


def forget_address(session: Session, secret: str, email: str) -> None:
    """A new password: every counter of this address starts again (the caller commits)."""
    of_address = digest(secret, "address", email.strip().lower())
    session.execute(delete(LoginFailure).where(LoginFailure.address == of_address))
