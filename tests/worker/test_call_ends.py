"""News calls whose end was never reported: the worker asks Twilio (the fake of its Calls API on
loopback, through the real twilio client) how each one ended, and settles it as the status
callback would have."""

from __future__ import annotations

from datetime import timedelta

from content import db, news_calls, queries
from content.models import BUSY, DELIVERED, PERSON, QUEUED, SENT, UNKNOWN
from telephony import provider as providers
from tests.worker.test_news_calls import answer, calls, place, publish, subscribe
from worker import call_ends, cli


def ask(app, clock) -> int:
    with app.app_context():
        session = db.session()
        dialler = providers.dialler(cli.calling(app.config))
        return call_ends.look_up(session, dialler, queries.town_profile(session), clock())


def test_a_call_whose_end_was_never_reported_is_asked_about_and_settled(app, session, provider, clock, signer) -> None:
    numbers = subscribe(session, clock, 3)
    publish(session, clock)
    place(app)
    answered, busy, ringing = (provider.calls_to(number)[0]["sid"] for number in numbers)
    answer(signer, provider, calls(session)[0])  # the resident heard the news
    # What happened on the line next; the status callbacks never reached the city.
    provider.status_form(answered, "completed", seconds=61)
    provider.status_form(busy, "busy")
    provider.dial(ringing)

    assert ask(app, clock) == 0  # too early: the reports may still come
    clock.now += call_ends.LOOK_AFTER
    assert ask(app, clock) == 2  # the answered one is settled: only its number waits for the purge
    first, second, third = calls(session)  # in the order they were placed
    assert (first.status, first.call_outcome, first.recipient) == (DELIVERED, PERSON, numbers[0])
    assert (second.status, second.call_outcome, second.recipient) == (QUEUED, BUSY, numbers[1])
    assert (third.status, third.provider_id) == (SENT, ringing)  # still ringing: asked again later, not before
    assert ask(app, clock) == 0
    clock.now += call_ends.LOOK_AFTER
    assert ask(app, clock) == 1
    assert sorted(provider.looked_up_calls) == sorted([busy, ringing, ringing])


def test_a_call_nobody_can_tell_about_ends_unknown_after_three_days(app, session, provider, clock) -> None:
    """Twilio lost the end report and knows nothing of the call: the progress still comes to an end."""
    subscribe(session, clock)
    publish(session, clock)
    place(app)
    (row,) = calls(session)
    broadcast_id = row.broadcast_id
    clock.now += call_ends.GIVE_UP_AFTER - timedelta(minutes=1)
    ask(app, clock)
    assert calls(session)[0].status == SENT
    clock.now += timedelta(minutes=1)
    ask(app, clock)
    assert (calls(session)[0].status, calls(session)[0].attempts) == (UNKNOWN, 1)
    figures = news_calls.progress(session, broadcast_id)
    assert (figures["ringing"], figures["failed"]) == (0, 1)


def test_calls_no_provider_placed_are_never_asked_about(app, session, provider, clock) -> None:
    subscribe(session, clock)
    publish(session, clock)
    place(app)
    (row,) = calls(session)
    row.provider_id = "SIMULATED000000000001"
    session.commit()
    clock.now += call_ends.LOOK_AFTER + timedelta(minutes=1)
    assert ask(app, clock) == 0
    assert provider.looked_up_calls == []


def test_twilio_in_trouble_ends_the_round_and_changes_nothing(app, session, provider, clock) -> None:
    subscribe(session, clock, 2)
    publish(session, clock)
    place(app)
    provider.fail_call_look_ups(503)
    clock.now += call_ends.LOOK_AFTER
    assert ask(app, clock) == 0
    assert [row.status for row in calls(session)] == [SENT, SENT]
