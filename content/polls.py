"""Polls: which are open, a vote (one per person across phone and SMS), and the results.

The voter is the keyed pseudonym of the number (content.privacy.pseudonym_of), never the number,
so a vote counts once whichever channel it came by.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from content import usage
from content.models import Poll, PollOption, Vote


def open_polls(session: Session, now: datetime) -> list[Poll]:
    """The polls open now, the most recently opened first, with their options."""
    query = (
        select(Poll)
        .options(selectinload(Poll.options))
        .where(Poll.opens_at <= now, Poll.closes_at > now)
        .order_by(Poll.opens_at.desc(), Poll.id.desc())
    )
    return list(session.scalars(query))


def vote_of(session: Session, poll_id: int, voter: str) -> Vote | None:
    return session.scalar(select(Vote).where(Vote.poll_id == poll_id, Vote.voter == voter))


def cast_vote(session: Session, poll: Poll, option: PollOption, *, voter: str, channel: str, now: datetime) -> bool:
    """Record the voter's choice, replacing an earlier one; True if they had voted before.

    The caller commits. A unique constraint on (poll, voter) keeps it at one vote even when
    phone and SMS arrive at the same moment.
    """
    if not poll.is_open(now) or option.poll_id != poll.id:
        raise ValueError("this poll is not open, or the option is not one of its own")
    earlier = vote_of(session, poll.id, voter)
    if earlier is not None:
        earlier.option_id, earlier.channel, earlier.cast_at = option.id, channel, now
        return True
    session.add(Vote(poll_id=poll.id, option_id=option.id, voter=voter, channel=channel, cast_at=now))
    usage.record_now(session, usage.VOTE, channel=channel, at=now, detail=poll.id)
    return False


def results(session: Session, polls: list[Poll]) -> dict[int, dict[int, dict[str, int]]]:
    """Votes of each poll per answer position and channel, in one query:
    {poll id: {1: {"phone": 3, "sms": 5}, ...}}."""
    query = (
        select(PollOption.poll_id, PollOption.position, Vote.channel, func.count())
        .join(Vote, Vote.option_id == PollOption.id)
        .where(PollOption.poll_id.in_([poll.id for poll in polls]))
        .group_by(PollOption.poll_id, PollOption.position, Vote.channel)
    )
    counted: dict[int, dict[int, dict[str, int]]] = {
        poll.id: {option.position: {} for option in poll.options} for poll in polls
    }
    for poll_id, position, channel, count in session.execute(query):
        counted[poll_id].setdefault(position, {})[channel] = count
    return counted
