"""What the worker makes sure of around dialling a news call: a call Twilio may have placed though
its answer never came back is looked up, not placed again; a number that a call may be ringing at
gets no second call; a call the resident stopped or erased since it was claimed, or whose news is
no longer public, is not placed; and Twilio's "too many requests" costs the resident no try.

The real twilio client talks to the fake of Twilio's Calls API on loopback; what happens on the
line is posted, signed, to the URLs the call was placed with.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import event, text

from content import db, news_calls, privacy, queries
from content.models import (
    BUSY,
    CALL_FAILED,
    DELIVERED,
    FAILED,
    PERSON,
    QUEUED,
    SENDING,
    SENT,
    STOPPED,
    UNKNOWN,
    WEEKLY,
)
from tests.factories import create_announcement
from tests.worker.test_news_calls import answer, at, calls, end, newest_news, place, publish, subscribe
from worker import cli
from worker.calling import Throttled
from worker.sending import LONGEST_RETRY_SECONDS, MAX_ATTEMPTS

# A call Twilio may have placed ------------------------------------------------------------------


@pytest.mark.parametrize("status", [0, 500, 503], ids=["no answer", "500", "503"])
def test_a_call_twilio_placed_though_no_proper_answer_came_back_rings_once(
    app, session, provider, clock, status
) -> None:
    """The request reached Twilio and the call rings, but the answer was lost (the connection
    closed) or was Twilio's own trouble: the call is looked up at Twilio, not placed again."""
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, status, placed=True)
    publish(session, clock)
    place(app)
    (ringing,) = provider.calls_to(number)
    (row,) = calls(session)
    assert (row.status, row.claimed_by, row.attempts) == (SENDING, None, 1)  # left to be looked up
    clock.now += timedelta(seconds=30)
    place(app)  # not yet looked up (OUTBOX_STALE_SECONDS): it may ring, so nothing else rings
    assert len(provider.calls_to(number)) == 1
    clock.now += timedelta(minutes=1)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.provider_id, row.attempts) == (SENT, ringing["sid"], 1)
    assert len(provider.calls_to(number)) == 1


def test_a_call_whose_answer_was_lost_is_settled_by_its_own_reports(app, session, provider, clock, signer) -> None:
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, 0, placed=True)
    publish(session, clock)
    place(app)
    (ringing,) = provider.calls_to(number)
    response = signer.post(ringing["url"], provider.answer_form(ringing["sid"]))  # the resident picks up
    assert response.status_code == 200
    (row,) = calls(session)
    assert (row.status, row.call_outcome, row.provider_id) == (DELIVERED, PERSON, ringing["sid"])
    clock.now += timedelta(minutes=5)
    place(app)  # the look-up finds it settled: nothing changes
    (row,) = calls(session)
    assert (row.status, row.call_outcome) == (DELIVERED, PERSON)
    assert len(provider.calls_to(number)) == 1


def test_a_call_twilio_could_not_tell_about_is_shown_as_unknown_and_never_placed_again(
    app, session, provider, clock
) -> None:
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, 500)
    broadcast = publish(session, clock)
    place(app)
    provider.stop()  # and then Twilio cannot be asked
    clock.now += timedelta(minutes=5)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.error) == (UNKNOWN, "the provider could not tell whether it rang")
    assert news_calls.progress(session, broadcast.id)["failed"] == 1


def test_a_request_that_never_reached_twilio_is_tried_again_without_a_look_up(app, session, provider, clock) -> None:
    """No connection could be made (refused): Twilio surely placed nothing."""
    subscribe(session, clock)
    publish(session, clock)
    provider.stop()
    place(app)
    (row,) = calls(session)
    assert (row.status, row.attempts, row.provider_id) == (QUEUED, 1, None)
    assert row.next_attempt_at > clock() and "provider answered 0" in row.error


def test_twilios_trouble_try_after_try_gives_the_call_up_and_forgets_the_number(app, session, provider, clock) -> None:
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, 500, times=MAX_ATTEMPTS)
    broadcast = publish(session, clock)
    for _ in range(2 * MAX_ATTEMPTS):  # placed, then looked up (the backoff is at most 2.6 minutes here)
        place(app)
        clock.now += timedelta(minutes=3)
    (row,) = calls(session)
    assert (row.status, row.call_outcome, row.recipient, row.attempts) == (FAILED, CALL_FAILED, "", MAX_ATTEMPTS)
    assert provider.calls == []
    assert news_calls.progress(session, broadcast.id)["failed"] == 1


# Too many requests --------------------------------------------------------------------------------


def test_twilio_turning_calls_away_for_too_many_requests_costs_the_resident_no_retry(
    app, session, provider, clock, signer
) -> None:
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, 429, code=20429, times=2)
    publish(session, clock)
    for _ in range(3):
        place(app)
        clock.now += timedelta(minutes=1)
    (row,) = calls(session)
    assert (row.status, row.attempts) == (SENT, 1)
    end(signer, provider, row, "busy")
    (row,) = calls(session)
    assert (row.status, row.call_outcome, row.next_attempt_at) == (QUEUED, BUSY, at(2026, 11, 25, 9))
    for day in (25, 26):  # the town's two retries
        clock.set(2026, 11, day, 9, 0)
        place(app)
        end(signer, provider, calls(session)[0], "busy")
    assert len(provider.calls_to(number)) == 3
    assert [(row.status, row.attempts) for row in calls(session)] == [(FAILED, 3)]


def test_a_call_twilio_keeps_turning_away_waits_longer_each_time_and_is_never_given_up(
    app, session, provider, clock
) -> None:
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, 429, code=20429, times=12)
    publish(session, clock)
    waits = []
    with app.app_context():
        placer = cli.make_worker().calls
        for _ in range(12):
            placer.work()
            (row,) = calls(session)
            assert (row.status, row.attempts) == (QUEUED, 0)
            waits.append((row.next_attempt_at - clock()).total_seconds())
            clock.now = row.next_attempt_at
    longest = [min(2.0 * 2**n, LONGEST_RETRY_SECONDS) for n in range(12)]
    assert all(0.8 * most <= wait <= 1.2 * most for wait, most in zip(waits, longest, strict=True)), waits


def test_a_call_placed_starts_the_wait_after_too_many_requests_anew() -> None:
    throttled = Throttled()
    first, second = throttled.again(), throttled.again()
    throttled.over()
    assert 1.6 <= first <= 2.4  # two seconds, give or take a fifth
    assert 3.2 <= second <= 4.8
    assert 1.6 <= throttled.again() <= 2.4


# Never two calls at once to one number ------------------------------------------------------------


def test_a_second_news_call_rings_only_after_the_first_is_over(app, session, provider, clock, signer) -> None:
    """(Had the resident answered, the second item would have been read in the first call.)"""
    (number,) = subscribe(session, clock)
    publish(session, clock, newest_news(session))
    clock.now += timedelta(minutes=3)
    publish(session, clock, newest_news(session, skip=1))
    place(app)
    first, second = calls(session)
    assert (first.status, second.status) == (SENT, QUEUED)
    assert len(provider.calls_to(number)) == 1
    clock.now += timedelta(seconds=30)
    place(app)  # still ringing
    assert len(provider.calls_to(number)) == 1
    end(signer, provider, first, "busy")
    place(app)
    first, second = calls(session)
    assert (first.status, first.call_outcome, second.status) == (QUEUED, BUSY, SENT)
    assert len(provider.calls_to(number)) == 2


def test_a_call_answered_holds_the_number_until_its_end_is_reported(app, session, provider, clock, signer) -> None:
    (number,) = subscribe(session, clock)
    publish(session, clock)
    place(app)
    answer(signer, provider, calls(session)[0])  # on the line now
    clock.now += timedelta(minutes=1)
    publish(session, clock, newest_news(session, skip=1))  # and more news comes meanwhile
    place(app)
    assert len(provider.calls_to(number)) == 1
    end(signer, provider, calls(session)[0], "completed", seconds=90)
    place(app)
    assert len(provider.calls_to(number)) == 2


def test_two_calls_due_for_one_number_are_not_taken_in_one_claim(app, session, provider, clock) -> None:
    numbers = subscribe(session, clock, 2)
    publish(session, clock, newest_news(session))
    publish(session, clock, newest_news(session, skip=1))
    with app.app_context():
        _, batch = cli.make_worker().calls.claim()
    assert sorted(call.recipient for call in batch) == numbers


def test_a_call_whose_end_was_never_reported_holds_the_number_only_so_long(app, session, provider, clock) -> None:
    (number,) = subscribe(session, clock)
    publish(session, clock, newest_news(session))
    publish(session, clock, newest_news(session, skip=1))
    place(app)
    clock.now += timedelta(minutes=29)
    place(app)
    assert len(provider.calls_to(number)) == 1
    clock.now += timedelta(minutes=2)  # no news call lasts half an hour: its end is looked up
    place(app)
    assert len(provider.calls_to(number)) == 2


def test_two_workers_never_take_calls_to_one_number_in_the_same_instant(
    app, session, provider, clock, database_url
) -> None:
    """On PostgreSQL, one worker's claim is caught between its update and its commit; the other
    worker's claim waits for it, and then sees the number taken. (Without waiting, it would still
    see the first call queued, and take the second.)"""
    engine = app.extensions["content.engine"]
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's claims take turns by a lock; on SQLite its one write lock does that")
    (number,) = subscribe(session, clock)
    publish(session, clock, newest_news(session))
    publish(session, clock, newest_news(session, skip=1))
    caught, go = threading.Event(), threading.Event()
    taken: dict[str, list[int]] = {}

    def hold(_connection, _cursor, statement: str, *_args: object) -> None:
        if threading.current_thread().name == "first" and statement.lstrip().startswith("UPDATE outbound_message"):
            caught.set()
            assert go.wait(60)

    def claim(worker, name: str) -> None:
        taken[name] = [call.id for call in worker.calls.claim()[1]]

    with app.app_context():
        first, second = cli.make_worker(), cli.make_worker()
    # The second waits as long as it takes (no lock_timeout): the test waits for what happens, not for a time.
    second.engine = db.make_engine(f"{database_url}?options=-c%20lock_timeout%3D0")
    event.listen(engine, "after_cursor_execute", hold)
    try:
        one = threading.Thread(target=claim, args=(first, "first"), name="first")
        one.start()
        assert caught.wait(60)
        two = threading.Thread(target=claim, args=(second, "second"))
        two.start()
        with engine.connect() as connection:
            waiting = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            deadline = time.monotonic() + 60
            while not connection.execute(waiting).scalar() and two.is_alive():
                assert time.monotonic() < deadline, "the second claim did not wait for the first"
                time.sleep(0.01)
        assert two.is_alive(), f"the second claim did not wait for the first: it took {taken.get('second')}"
        go.set()
        one.join()
        two.join()
    finally:
        go.set()
        event.remove(engine, "after_cursor_execute", hold)
        second.engine.dispose()
    first_call, _ = calls(session)
    assert taken == {"first": [first_call.id], "second": []}
    assert [call.status for call in calls(session)] == [SENDING, QUEUED]
    assert provider.calls_to(number) == []


# Stopped, erased, or no longer news ---------------------------------------------------------------


@pytest.mark.parametrize("how", ["stop", "erase"])
def test_a_resident_who_stopped_after_the_claim_is_not_called(app, session, provider, clock, how) -> None:
    (number, neighbour) = subscribe(session, clock, 2)
    publish(session, clock)
    with app.app_context():
        worker = cli.make_worker()
        profile, batch = worker.calls.claim()
        assert len(batch) == 2
        if how == "stop":  # key 8 during another call, or key 4
            news_calls.stop(session, number)
        else:  # LÖSCHEN JA
            privacy.erase(session, number, asked_on="staff")
        session.commit()
        worker.calls.record([worker.calls.attempt(call, profile) for call in batch])
    assert [call["to"] for call in provider.calls] == [neighbour]
    stopped, called = calls(session)
    assert (stopped.status, stopped.call_outcome, stopped.recipient) == (FAILED, STOPPED, "")  # as stop() left it
    assert (called.status, called.recipient) == (SENT, neighbour)


def test_a_call_for_news_that_expired_while_it_waited_for_its_window_is_taken_back(
    app, session, provider, clock
) -> None:
    """Published on Tuesday at 16:00 until 18:00; the morning subscriber's call waits for Wednesday
    9:00, when the news is over: nobody walks to the phone for it."""
    clock.set(2026, 11, 24, 16, 0)
    (number,) = subscribe(session, clock)
    item = create_announcement(session, clock(), title="Heute bis 18 Uhr: Bürgerbüro länger offen")
    item.expires_at = at(2026, 11, 24, 18, 0)
    session.commit()
    broadcast = publish(session, clock, item)
    clock.set(2026, 11, 25, 9, 0)
    place(app)
    assert provider.calls_to(number) == []
    assert calls(session) == []
    assert news_calls.progress(session, broadcast.id) == dict.fromkeys(news_calls.FIGURES, 0)


@pytest.mark.parametrize("change", ["archived", "moved to later"])
def test_a_call_whose_news_went_off_after_the_claim_is_taken_back(app, session, provider, clock, change) -> None:
    (number,) = subscribe(session, clock)
    item = newest_news(session)
    publish(session, clock, item)
    with app.app_context():
        worker = cli.make_worker()
        profile, batch = worker.calls.claim()
        if change == "archived":  # what the staff page's archive button does to the announcement
            item.expires_at = clock()
        else:
            item.publish_at = clock() + timedelta(days=2)
        session.commit()
        worker.calls.record([worker.calls.attempt(call, profile) for call in batch])
    assert provider.calls_to(number) == []
    assert calls(session) == []


def test_a_summary_with_some_of_its_news_still_public_rings(app, session, provider, clock) -> None:
    (number,) = subscribe(session, clock, frequency=WEEKLY, weekday=clock().weekday())
    over = create_announcement(session, clock(), title="Nur bis halb elf")
    over.expires_at = clock() + timedelta(minutes=30)
    still = create_announcement(session, clock(), title="Neu in der Woche")
    session.commit()
    news_calls.queue_summaries(session, queries.town_profile(session), [over, still], clock())
    session.commit()
    (row,) = calls(session)
    assert set(news_calls.read_plan(row.body)) == {over.id, still.id}
    clock.now += timedelta(minutes=31)
    place(app)
    assert len(provider.calls_to(number)) == 1
    assert [row.status for row in calls(session)] == [SENT]
