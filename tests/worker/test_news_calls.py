"""News calls placed by the outbox worker: through the real twilio client to the fake of Twilio's
Calls API on loopback, only in calling hours, paced by their own setting, tried again over the
next windows, and exactly once per subscriber and item, also when the worker is killed in the
middle of a call broadcast.

What happens on the line comes from the forms the fake says Twilio would post (answer_form,
status_form), posted signed to the voice menu's news-call webhooks, as Twilio posts them.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

import config
from content import news_calls, outbox, queries
from content.models import (
    AFTERNOON,
    BUSY,
    CALL,
    CALL_FAILED,
    DELIVERED,
    EVERY_ITEM,
    FAILED,
    MORNING,
    PERSON,
    QUEUED,
    SENDING,
    SENT,
    SUBSCRIBED,
    UNKNOWN,
    WEEKLY,
    Announcement,
    Broadcast,
    OutboundMessage,
    Subscriber,
)
from content.phone import SIMULATED_NUMBER
from tests.conftest import ACCOUNT, AUTH_TOKEN, BERLIN, Clock
from tests.factories import create_announcement
from tests.fake_twilio_api import FakeTwilioApi
from tests.twilio_fake import BASE_URL, HOTLINE_NUMBER, Signer
from tests.worker import clocked_worker
from worker import cli, delivery
from worker.sending import run

ROOT = Path(__file__).resolve().parent.parent.parent
WORDING = "Ja, rufen Sie mich mit den Neuigkeiten der Stadt an."


def subscribe(
    session,
    clock: Clock,
    count: int = 1,
    *,
    window: str = MORNING,
    frequency: str = EVERY_ITEM,
    weekday: int | None = None,
    start: int = 0,
) -> list[str]:
    """Landlines that asked on the phone to be called with the news."""
    numbers = [f"+49631{n:07d}" for n in range(start, start + count)]
    choices = news_calls.Choices(frequency=frequency, weekday=weekday, window=window)
    for number in numbers:
        news_calls.subscribe(session, number, language="de", choices=choices, wording=WORDING, now=clock())
    session.commit()
    return numbers


def newest_news(session, skip: int = 0) -> Announcement:
    query = select(Announcement).order_by(Announcement.publish_at.desc().nulls_last(), Announcement.id.desc())
    return session.scalars(query.offset(skip)).first()


def publish(session, clock: Clock, item: Announcement | None = None) -> Broadcast:
    """Staff send an announcement: SMS and news calls in one broadcast."""
    languages = [language.code for language in queries.town_profile(session).languages]
    sent = outbox.broadcast(session, item or newest_news(session), languages=languages, author="t", now=clock())
    session.commit()
    return sent


def place(app) -> None:
    with app.app_context():
        run(cli.make_worker(), until_idle=True)


def calls(session) -> list[OutboundMessage]:
    session.expire_all()
    query = select(OutboundMessage).where(OutboundMessage.channel == CALL).order_by(OutboundMessage.id)
    return list(session.scalars(query))


def answer(signer: Signer, provider: FakeTwilioApi, row: OutboundMessage, answered_by: str = "human") -> None:
    """Somebody (or a machine) picks up: Twilio posts to the answer URL the call was placed with, signed."""
    form = provider.answer_form(row.provider_id, answered_by)
    response = signer.post(provider.call(row.provider_id)["url"], form)
    assert response.status_code == 200, response.status_code


def end(signer: Signer, provider: FakeTwilioApi, row: OutboundMessage, status: str, seconds: int = 0) -> None:
    """The call is over: Twilio's status callback with this CallStatus, signed, to the status URL
    the call was placed with."""
    form = provider.status_form(row.provider_id, status, seconds)
    response = signer.post(provider.call(row.provider_id)["status_callback"], form)
    assert response.status_code == 204, response.status_code


def at(*moment: int) -> datetime:
    return datetime(*moment, tzinfo=BERLIN)


# Placing -----------------------------------------------------------------------------------------


def test_a_news_call_rings_from_the_hotline_with_its_webhooks_and_answering_machine_detection(
    app, session, provider, clock
) -> None:
    (number,) = subscribe(session, clock)
    broadcast = publish(session, clock)
    place(app)
    (row,) = calls(session)
    (call,) = provider.calls_to(number)
    assert (row.status, row.provider_id, row.attempts) == (SENT, call["sid"], 1)
    assert call["from"] == HOTLINE_NUMBER
    assert (call["url"], call["method"]) == (f"{BASE_URL}/voice/news-call?call={row.id}&try=1", "POST")
    assert (call["status_callback"], call["status_callback_method"]) == (
        f"{BASE_URL}/voice/news-call/status?call={row.id}&try=1",
        "POST",
    )
    # Twilio's fallback for a call placed through the API: never its "application error".
    assert (call["fallback_url"], call["fallback_method"]) == (
        f"{BASE_URL}/voice/news-call/fallback?call={row.id}&try=1",
        "POST",
    )
    assert call["machine_detection"] == "DetectMessageEnd"
    assert news_calls.progress(session, broadcast.id)["ringing"] == 1


def test_sms_and_calls_of_one_broadcast_each_leave_their_own_way(app, session, provider, clock) -> None:
    (landline,) = subscribe(session, clock)
    session.add(Subscriber(number="+4915100000001", language="de", status=SUBSCRIBED, topics=[]))
    session.commit()
    publish(session, clock)
    place(app)
    assert [call["to"] for call in provider.calls] == [landline]
    assert [message["to"] for message in provider.messages] == ["+4915100000001"]


def test_the_simulators_phone_rings_in_the_browser_and_never_at_the_provider(app, session, provider, clock) -> None:
    choices = news_calls.Choices()
    news_calls.subscribe(session, SIMULATED_NUMBER, language="de", choices=choices, wording=WORDING, now=clock())
    session.commit()
    publish(session, clock)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.provider_id) == (SENT, f"SIMULATED{row.id:012d}")
    assert provider.calls == []


def test_without_credentials_the_demo_shows_the_call_on_the_console(app, session, clock, capsys) -> None:
    (number,) = subscribe(session, clock)
    publish(session, clock)
    place(app)
    (row,) = calls(session)
    assert row.status == SENT and row.provider_id.startswith("LOCAL")
    printed = capsys.readouterr().out
    assert f"[news call to …{number[-3:]}] rings: /voice/news-call?call={row.id}&try=1" in printed
    assert number not in printed


# Calling hours -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("queued_at", "closed_at", "opens_at"),
    [
        pytest.param((2026, 11, 28, 10), (2026, 11, 29, 10), (2026, 11, 30, 9), id="a Sunday"),
        pytest.param((2026, 6, 3, 10), (2026, 6, 4, 10), (2026, 6, 5, 9), id="Fronleichnam"),
        pytest.param((2027, 10, 29, 10), (2027, 11, 1, 10), (2027, 11, 2, 9), id="Allerheiligen on a Monday"),
        pytest.param((2026, 11, 24, 10), (2026, 11, 24, 22, 30), (2026, 11, 25, 9), id="the night"),
        pytest.param((2026, 11, 24, 10), (2026, 11, 24, 16), (2026, 11, 25, 9), id="the afternoon window"),
    ],
)
def test_a_call_due_outside_its_calling_hours_waits_for_its_window(
    app, session, provider, clock, queued_at, closed_at, opens_at
) -> None:
    """Queued while its window was open, the worker only comes by later (it was down): then the
    call waits, although it is due, until its (morning) window opens on a calling day."""
    clock.set(*queued_at)
    (number,) = subscribe(session, clock)
    publish(session, clock, create_announcement(session, clock()))  # news of that day
    clock.set(*closed_at)
    place(app)
    clock.now = at(*opens_at) - timedelta(minutes=1)
    place(app)
    assert provider.calls == []
    # Not even taken: the claim leaves calls alone whose window is closed.
    assert [(row.status, row.attempts, row.claimed_by) for row in calls(session)] == [(QUEUED, 0, None)]
    clock.set(*opens_at)
    place(app)
    assert len(provider.calls_to(number)) == 1


def test_morning_and_afternoon_subscribers_are_called_in_their_own_window(app, session, provider, clock) -> None:
    (early,) = subscribe(session, clock, window=MORNING)
    (late,) = subscribe(session, clock, window=AFTERNOON, start=1)
    publish(session, clock)  # Tuesday, 10 o'clock
    place(app)
    assert [call["to"] for call in provider.calls] == [early]
    clock.set(2026, 11, 24, 14, 59)
    place(app)
    assert [call["to"] for call in provider.calls] == [early]
    clock.set(2026, 11, 24, 15, 0)
    place(app)
    assert [call["to"] for call in provider.calls] == [early, late]


def test_a_call_whose_window_closes_while_it_waits_for_its_turn_is_put_back(app, session, provider, clock) -> None:
    clock.set(2026, 11, 24, 11, 59)
    subscribe(session, clock)
    broadcast = publish(session, clock)
    with app.app_context():
        worker = cli.make_worker()
        profile, batch = worker.calls.claim()
        assert len(batch) == 1
        clock.set(2026, 11, 24, 12, 0)  # the pacer let it go a moment too late
        worker.calls.record([worker.calls.attempt(batch[0], profile)])
    assert provider.calls == []
    assert [(row.status, row.attempts) for row in calls(session)] == [(QUEUED, 0)]
    assert news_calls.progress(session, broadcast.id)["queued"] == 1  # not a retry: it never rang
    clock.set(2026, 11, 25, 9, 0)
    place(app)
    assert [(row.status, row.attempts) for row in calls(session)] == [(SENT, 1)]


def test_a_worker_that_was_paused_past_its_lease_places_nothing_and_puts_the_call_back(
    app, session, provider, clock
) -> None:
    subscribe(session, clock)
    publish(session, clock)
    with app.app_context():
        paused = cli.make_worker()
        profile, batch = paused.calls.claim()
        paused.last_beat -= paused.stale.total_seconds()  # what a pause looks like from inside
        paused.calls.record([paused.calls.attempt(call, profile) for call in batch])
    assert provider.calls == []
    assert [(row.status, row.attempts) for row in calls(session)] == [(QUEUED, 0)]


# Pacing ------------------------------------------------------------------------------------------


def test_calls_are_paced_by_their_own_setting_apart_from_the_sms(app, provider) -> None:
    app.config.update(CALLS_PER_SECOND=5, SMS_PER_SECOND=10)
    with app.app_context():
        worker = cli.make_worker()
    assert worker.calls.pacer.interval == pytest.approx(1 / 5)
    assert worker.pacer.interval == pytest.approx(1 / 10)
    assert worker.calls.batch == 50  # ten seconds of calls at five a second


@pytest.mark.parametrize(("per_second", "interval", "batch"), [(1, 1.0, 10), (0.5, 2.0, 5), (0, 0.0, 50)])
def test_a_batch_of_calls_is_about_ten_seconds_of_them(app, provider, per_second, interval, batch) -> None:
    app.config.update(CALLS_PER_SECOND=per_second)
    with app.app_context():
        placer = cli.make_worker().calls
    assert (placer.pacer.interval, placer.batch) == (pytest.approx(interval), batch)


def test_twilios_one_call_a_second_is_the_default_and_a_rate_must_be_a_number() -> None:
    assert config.from_environment({})["CALLS_PER_SECOND"] == 1.0
    with pytest.raises(config.SettingError, match="CALLS_PER_SECOND must be a number"):
        config.from_environment({"CALLS_PER_SECOND": "-1"})


# Tried again, and never twice ---------------------------------------------------------------------


def test_busy_unanswered_and_failed_calls_are_tried_again_in_the_next_windows_then_given_up(
    app, session, provider, clock, signer
) -> None:
    (number,) = subscribe(session, clock)
    broadcast = publish(session, clock)
    for day, status in ((24, "busy"), (25, "no-answer"), (26, "failed")):
        clock.set(2026, 11, day, 9 if day > 24 else 10, 0)
        place(app)
        assert len(provider.calls_to(number)) == day - 23
        clock.now += timedelta(minutes=1)
        end(signer, provider, calls(session)[0], status)
        if day == 24:
            (row,) = calls(session)
            assert (row.status, row.call_outcome, row.next_attempt_at) == (QUEUED, BUSY, at(2026, 11, 25, 9))
            assert news_calls.progress(session, broadcast.id)["retrying"] == 1
            clock.set(2026, 11, 24, 11, 30)
            place(app)  # not before the next window
            assert len(provider.calls_to(number)) == 1
    (row,) = calls(session)
    assert (row.status, row.call_outcome, row.recipient, row.attempts) == (FAILED, CALL_FAILED, "", 3)
    clock.set(2026, 11, 27, 9, 0)
    place(app)
    assert len(provider.calls_to(number)) == 3  # the town's two retries, and no more
    assert news_calls.progress(session, broadcast.id)["failed"] == 1


def test_a_call_turned_away_for_too_many_requests_is_tried_again_shortly_without_using_a_try(
    app, session, provider, clock
) -> None:
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, 429, code=20429)
    publish(session, clock)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.attempts) == (QUEUED, 0) and row.next_attempt_at > clock()
    assert "429" in row.error and provider.calls == []
    clock.now += timedelta(minutes=1)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.attempts) == (SENT, 1) and len(provider.calls_to(number)) == 1


@pytest.mark.parametrize("status", [500, 503])
def test_a_call_the_provider_had_trouble_with_is_looked_up_before_it_is_tried_again(
    app, session, provider, clock, status
) -> None:
    """Twilio's own trouble may come after it placed the call: the worker does not ask again
    until it has looked the call up at Twilio (here it has not placed it: then it is queued again,
    the try counted)."""
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, status)
    publish(session, clock)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.attempts, row.claimed_by) == (SENDING, 1, None)  # left to be looked up
    assert str(status) in row.error and provider.calls == []
    clock.now += timedelta(minutes=2)  # past OUTBOX_STALE_SECONDS: looked up, not found
    place(app)
    (row,) = calls(session)
    assert (row.status, row.attempts) == (QUEUED, 1) and row.next_attempt_at > clock()
    clock.now += timedelta(minutes=1)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.attempts) == (SENT, 2) and len(provider.calls_to(number)) == 1


def test_a_call_turned_away_at_the_end_of_its_window_is_tried_again_in_the_next_one(
    app, session, provider, clock
) -> None:
    clock.set(2026, 11, 24, 11, 59)
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, 503)
    publish(session, clock)
    place(app)
    clock.set(2026, 11, 24, 12, 1)
    place(app)
    assert provider.calls == []
    clock.set(2026, 11, 25, 9, 0)
    place(app)
    assert len(provider.calls_to(number)) == 1


def test_a_number_that_cannot_be_called_fails_at_once_and_keeps_no_number(app, session, provider, clock) -> None:
    (number,) = subscribe(session, clock)
    provider.fail_calls(number, 400, code=21215)
    broadcast = publish(session, clock)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.call_outcome, row.recipient, row.attempts) == (FAILED, CALL_FAILED, "", 1)
    assert "21215" in row.error
    assert "Account not authorized to call [number]. Perhaps" in row.error and number[3:] not in row.error
    clock.set(2026, 11, 25, 9, 0)
    place(app)
    assert provider.calls == []
    assert news_calls.progress(session, broadcast.id)["failed"] == 1


@pytest.mark.parametrize("answered_by", ["human", "machine_end_beep"])
def test_an_answered_call_is_never_placed_again(app, session, provider, clock, signer, answered_by) -> None:
    (number,) = subscribe(session, clock)
    publish(session, clock)
    place(app)
    answer(signer, provider, calls(session)[0], answered_by)
    end(signer, provider, calls(session)[0], "completed", seconds=48)
    assert [row.status for row in calls(session)] == [DELIVERED]
    publish(session, clock)  # staff send the same news once more
    for day in (25, 26):
        clock.set(2026, 11, day, 9, 0)
        place(app)
    assert len(provider.calls_to(number)) == 1


def test_an_answer_that_comes_before_the_worker_wrote_ringing_is_kept(app, session, provider, clock) -> None:
    subscribe(session, clock)
    publish(session, clock)
    with app.app_context():
        worker = cli.make_worker()
        profile, batch = worker.calls.claim()
        placed = [worker.calls.attempt(call, profile) for call in batch]
        (row,) = calls(session)  # still "sending": the resident picks up quickly
        news_calls.answered(session, row.id, placed[0].provider_id, PERSON, clock())
        session.commit()
        worker.calls.record(placed)
    (row,) = calls(session)
    assert (row.status, row.call_outcome, row.provider_id) == (DELIVERED, PERSON, placed[0].provider_id)


def test_a_busy_line_reported_before_the_worker_wrote_ringing_is_tried_again(app, session, provider, clock) -> None:
    subscribe(session, clock)
    publish(session, clock)
    with app.app_context():
        worker = cli.make_worker()
        profile, batch = worker.calls.claim()
        placed = [worker.calls.attempt(call, profile) for call in batch]
        (row,) = calls(session)
        news_calls.ended(session, row.id, placed[0].provider_id, BUSY, queries.town_profile(session), clock())
        session.commit()
        worker.calls.record(placed)
    (row,) = calls(session)
    assert (row.status, row.call_outcome, row.next_attempt_at) == (QUEUED, BUSY, at(2026, 11, 25, 9))


# A worker that died ------------------------------------------------------------------------------


def dead_worker_claims(app) -> tuple:
    """A worker claims the calls that are due, then dies (it never writes what became of them)."""
    with app.app_context():
        dead = cli.make_worker()
        return dead, dead.calls.claim()[1]


def test_a_call_a_dead_worker_placed_is_found_at_the_provider_and_not_placed_again(
    app, session, provider, clock
) -> None:
    (number,) = subscribe(session, clock)
    publish(session, clock)
    dead, (call,) = dead_worker_claims(app)
    urls = (
        url(call.id, call.attempts) for url in (dead.calls.answer_url, dead.calls.status_url, dead.calls.fallback_url)
    )
    sid = dead.calls.dialler.place(call.recipient, *urls)
    clock.now += timedelta(minutes=5)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.provider_id, row.attempts) == (SENT, sid, 1)
    assert len(provider.calls_to(number)) == 1


def test_a_call_a_dead_worker_did_not_place_is_placed_once(app, session, provider, clock) -> None:
    (number,) = subscribe(session, clock)
    publish(session, clock)
    dead_worker_claims(app)
    assert [row.status for row in calls(session)] == [SENDING]
    clock.now += timedelta(minutes=5)
    place(app)
    (row,) = calls(session)
    assert (row.status, row.attempts) == (SENT, 1)  # the lost try was given back
    assert len(provider.calls_to(number)) == 1


def test_a_call_whose_fate_the_provider_cannot_tell_is_shown_as_unknown(app, session, provider, clock) -> None:
    subscribe(session, clock)
    broadcast = publish(session, clock)
    dead_worker_claims(app)
    provider.stop()
    clock.now += timedelta(minutes=5)
    place(app)
    assert [row.status for row in calls(session)] == [UNKNOWN]
    assert news_calls.progress(session, broadcast.id)["failed"] == 1


def test_a_call_for_another_item_to_the_same_number_is_not_taken_for_the_lost_one(
    app, session, provider, clock, signer
) -> None:
    (number,) = subscribe(session, clock)
    publish(session, clock, newest_news(session))
    place(app)
    answer(signer, provider, calls(session)[0])
    end(signer, provider, calls(session)[0], "completed", seconds=50)
    clock.now += timedelta(minutes=1)
    publish(session, clock, newest_news(session, skip=1))
    dead_worker_claims(app)
    clock.now += timedelta(minutes=5)
    place(app)
    first, second = calls(session)
    assert (first.status, second.status) == (DELIVERED, SENT)
    assert [call["sid"] for call in provider.calls_to(number)] == [first.provider_id, second.provider_id]


def test_an_earlier_try_of_the_same_call_is_not_taken_for_the_lost_one(app, session, provider, clock, signer) -> None:
    (number,) = subscribe(session, clock)
    publish(session, clock)
    place(app)
    clock.now += timedelta(minutes=1)
    end(signer, provider, calls(session)[0], "busy")
    clock.set(2026, 11, 25, 9, 0)
    dead_worker_claims(app)
    clock.now += timedelta(minutes=5)
    place(app)
    (row,) = calls(session)
    earlier, again = provider.calls_to(number)
    assert (row.status, row.provider_id, row.attempts) == (SENT, again["sid"], 2)


def wait_for(condition: Callable[[], bool], worker: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
        assert time.monotonic() < deadline, "the worker did not get there in time"
        time.sleep(0.02)


def test_a_worker_killed_in_the_middle_of_a_call_broadcast_and_restarted_calls_everyone_exactly_once(
    app, session, clock, tmp_path
) -> None:
    """A real worker process on the Tuesday morning of the test's clock, killed (SIGKILL) with
    calls placed, calls claimed and not placed, and calls not yet claimed; restarted an hour
    later (on its clock: the dead worker's lease has long run out), until nothing is left."""
    offset = clocked_worker.offset_to(clock())
    fake = FakeTwilioApi(ACCOUNT, AUTH_TOKEN, clock=lambda: datetime.now(UTC) + timedelta(seconds=offset)).start()
    numbers = subscribe(session, clock, 120)
    publish(session, clock)
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "HOTLINE_INSTANCE_PATH": str(tmp_path / "worker"),
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_PHONE_NUMBER": HOTLINE_NUMBER,
        "TWILIO_API_BASE_URL": fake.url,
        "PUBLIC_BASE_URL": BASE_URL,
        "SECRET_KEY": "s",
        "PSEUDONYM_KEY": "p",
        "CALLS_PER_SECOND": "50",
    }
    command = [sys.executable, "-m", "tests.worker.clocked_worker"]
    fake.hold_after(20)  # the provider takes 20 calls, then holds the one the worker places next
    worker = subprocess.Popen(
        [*command, "--offset", str(offset)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for(lambda: fake.waiting > 0, worker)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        fake.release()  # the call the dead worker placed reaches the provider; the worker never heard back
        assert 20 < len(fake.calls) < 120
        restart = subprocess.run(
            [*command, "--offset", str(offset + 3600), "--until-idle"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert restart.returncode == 0, restart.stderr.decode()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        if worker.stderr:
            worker.stderr.close()
        fake.stop()
    assert Counter(call["to"] for call in fake.calls) == Counter(numbers)  # each exactly once
    assert Counter(row.status for row in calls(session)) == {SENT: 120}


def test_a_running_worker_places_calls_beside_the_sms_and_waits_out_the_database(
    app, session, provider, clock, caplog
) -> None:
    from sqlalchemy.exc import OperationalError

    class Done(Exception):
        pass

    (number,) = subscribe(session, clock)
    publish(session, clock)
    with app.app_context():
        worker = cli.make_worker()
        real_work, failures = worker.calls.work, [OperationalError("claim", {}, Exception("lock timeout"))]

        def work() -> int:
            if failures:
                raise failures.pop()
            return real_work()

        def chores() -> None:
            if provider.calls:
                raise Done

        worker.calls.work = work
        with pytest.raises(Done):
            run(worker, idle_sleep=0.01, chores=chores)
    assert len(provider.calls_to(number)) == 1
    assert [row.status for row in calls(session)] == [SENT]
    assert "outbox worker: the database did not answer; calls wait a moment: OperationalError" in caplog.text


def test_a_fault_in_placing_calls_stops_the_worker_rather_than_leave_the_calls_behind(app, provider) -> None:
    def broken() -> int:
        raise ValueError("a fault")

    with app.app_context():
        worker = cli.make_worker()
        worker.calls.work = broken
        with pytest.raises(RuntimeError, match="stopped placing news calls") as stopped:
            run(worker, idle_sleep=0.01)
    assert isinstance(stopped.value.__cause__, ValueError)


# What the worker does besides -------------------------------------------------------------------


def test_the_weekly_summaries_are_queued_once_when_the_calling_day_begins(app, session, clock) -> None:
    (number,) = subscribe(session, clock, frequency=WEEKLY, weekday=1)  # Tuesdays
    clock.set(2026, 11, 24, 8, 30)
    with app.app_context():
        chores = cli.make_chores()
    chores()
    assert calls(session) == []
    clock.set(2026, 11, 24, 9, 0)
    chores()
    chores()
    with app.app_context():
        cli.make_chores()()  # a second worker, or this one started again
    (row,) = calls(session)
    week = clock() - timedelta(days=news_calls.SUMMARY_DAYS)
    recent = [item.id for item in (newest_news(session), newest_news(session, skip=1)) if item.publish_at >= week]
    assert (row.recipient, row.status, row.window, row.body) == (number, QUEUED, MORNING, ",".join(map(str, recent)))


def test_a_ringing_call_is_never_looked_up_as_a_message(app, session, provider, clock) -> None:
    """Delivery look-ups are for SMS: a call's end comes to the voice webhooks."""
    subscribe(session, clock)
    publish(session, clock)
    place(app)
    clock.now += timedelta(hours=1)
    with app.app_context():
        worker = cli.make_worker()
        assert delivery.look_up(session, worker.sender, clock()) == 0
    assert provider.looked_up == []


def test_a_town_sending_sms_through_a_messaging_service_calls_from_its_hotline_number(
    app, session, provider, clock
) -> None:
    (number,) = subscribe(session, clock)
    publish(session, clock)
    app.config.update(HOTLINE_ENV="production", TWILIO_PHONE_NUMBER=None, TWILIO_MESSAGING_SERVICE_SID="MG" + "1" * 32)
    place(app)
    (call,) = provider.calls_to(number)
    assert call["from"] == queries.town_profile(session).hotline_number


def test_in_production_the_worker_refuses_to_start_without_the_number_calls_come_from(
    app, session, provider, clock
) -> None:
    subscribe(session, clock)
    publish(session, clock)
    profile = queries.town_profile(session)
    queries.save_town_profile(session, dataclasses.replace(profile, hotline_number=None))
    session.commit()
    app.config.update(HOTLINE_ENV="production", TWILIO_PHONE_NUMBER=None, TWILIO_MESSAGING_SERVICE_SID="MG" + "1" * 32)
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--until-idle"])
    assert result.exit_code == 1
    assert "No news call can be placed: set TWILIO_PHONE_NUMBER (or the hotline's number" in result.output
    assert [(row.status, row.attempts) for row in calls(session)] == [(QUEUED, 0)]


def test_in_production_the_worker_refuses_to_start_without_the_public_address(app, session, provider, clock) -> None:
    subscribe(session, clock)
    publish(session, clock)
    app.config.update(HOTLINE_ENV="production", PUBLIC_BASE_URL=None)
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--until-idle"])
    assert result.exit_code == 1
    assert "No news call can be placed: set PUBLIC_BASE_URL" in result.output
    assert provider.calls == [] and provider.messages == []


def test_without_the_public_address_calls_wait_and_sms_still_go_out(app, session, provider, clock) -> None:
    subscribe(session, clock)
    session.add(Subscriber(number="+4915100000001", language="de", status=SUBSCRIBED, topics=[]))
    session.commit()
    publish(session, clock)
    app.config.update(PUBLIC_BASE_URL=None)
    result = app.test_cli_runner().invoke(args=["outbox", "run", "--until-idle"])
    assert result.exit_code == 0, result.output
    assert "No news call can be placed: set PUBLIC_BASE_URL" in result.stderr
    assert "News calls stay queued until then." in result.stderr
    assert len(provider.messages) == 1 and provider.calls == []
    assert [(row.status, row.attempts) for row in calls(session)] == [(QUEUED, 0)]
