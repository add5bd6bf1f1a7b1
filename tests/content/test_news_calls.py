"""News calls in the content store: calling hours, who is called for what, once per item, and what a
call's reports do to it (answered, retried in the next window, given up, kept only as a count)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from content import calling_hours, news_calls, outbox, privacy, queries
from content.models import (
    AFTERNOON,
    BUSY,
    CALL,
    CALL_FAILED,
    DELIVERED,
    EVERY_ITEM,
    FAILED,
    MACHINE,
    MORNING,
    NO_ANSWER,
    PERSON,
    QUEUED,
    SENDING,
    SENT,
    SKIP_UNTRANSLATED,
    STOPPED,
    WEEKLY,
    Announcement,
    CallSubscriber,
    OutboundMessage,
)
from content.profile import profile_from_settings
from tests.conftest import BERLIN

EACH_MORNING = news_calls.Choices(EVERY_ITEM, None, MORNING)
EACH_AFTERNOON = news_calls.Choices(EVERY_ITEM, None, AFTERNOON)
LANDLINE, OTHER_LANDLINE, TURKISH = "+496311234567", "+496317654321", "+496319999999"


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def profile(session):
    return queries.town_profile(session)


# Calling hours -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "window", "opens"),
    [
        (at(24, 10), MORNING, at(24, 10)),  # Tuesday morning: open now
        (at(24, 10), AFTERNOON, at(24, 15)),  # later the same day
        (at(24, 12), MORNING, at(25, 9)),  # the morning window has just closed
        (at(28, 11), MORNING, at(28, 11)),  # Saturday is a calling day
        (at(29, 10), MORNING, at(30, 9)),  # Sunday is not
        (at(24, 21), AFTERNOON, at(25, 15)),  # nor is the night
        (at(3, 13, month=6), MORNING, at(5, 9, month=6)),  # Fronleichnam, a holiday in Rhineland-Palatinate
    ],
)
def test_a_call_rings_only_in_its_window_on_a_calling_day(profile, after, window, opens) -> None:
    assert calling_hours.next_opening(profile, window, after) == opens
    assert calling_hours.is_open(profile, window, opens)


def test_no_window_is_open_at_night_on_sundays_and_on_holidays(profile) -> None:
    assert calling_hours.open_windows(profile, at(24, 10)) == (MORNING,)
    assert calling_hours.open_windows(profile, at(24, 16)) == (AFTERNOON,)
    assert calling_hours.open_windows(profile, at(24, 13)) == ()
    assert calling_hours.open_windows(profile, at(24, 23)) == ()
    assert calling_hours.open_windows(profile, at(29, 10)) == ()  # Sunday
    assert calling_hours.open_windows(profile, at(4, 10, month=6)) == ()  # Fronleichnam


def test_a_weekly_call_waits_for_its_weekday(profile) -> None:
    friday = 4
    assert calling_hours.next_opening(profile, MORNING, at(24, 10), weekday=friday) == at(27, 9)


def test_a_town_cannot_set_calling_hours_at_night() -> None:
    profile = profile_from_settings({"calling_hours": {"morning": ["06:00", "12:00"], "afternoon": ["16:00", "19:30"]}})
    assert profile.calling_hours == {"morning": ["09:00", "12:00"], "afternoon": ["16:00", "19:30"]}


def test_the_window_is_said_in_the_listeners_language(profile) -> None:
    assert calling_hours.describe(profile, MORNING, "de") == "von 9 bis 12 Uhr"


# Who is called for an announcement -----------------------------------------------------------------


def publish(session, clock, texts: dict | None = None, untranslated: str = "note", **when) -> Announcement:
    item = Announcement(
        texts=texts or {"de": {"title": "Neue Sprechstunde", "body": "Ab Montag auch mittwochs."}},
        untranslated=untranslated,
        publish_at=when.get("publish_at", clock()),
    )
    session.add(item)
    session.flush()
    return item


def broadcast(session, item: Announcement, now: datetime, send_at: datetime | None = None):
    profile = queries.town_profile(session)
    codes = [language.code for language in profile.languages]
    sent = outbox.broadcast(session, item, languages=codes, author="test", now=now, send_at=send_at)
    session.commit()
    return sent


def calls(session) -> list[OutboundMessage]:
    query = select(OutboundMessage).where(OutboundMessage.channel == CALL).order_by(OutboundMessage.id)
    return list(session.scalars(query.execution_options(populate_existing=True)))


def subscribe(session, clock, number: str, choices=EACH_MORNING, language: str = "de") -> CallSubscriber:
    subscriber = news_calls.subscribe(
        session, number, language=language, choices=choices, wording="Wir rufen Sie an.", now=clock()
    )
    session.commit()
    return subscriber


def test_an_announcement_calls_each_subscriber_who_wants_every_item_once_in_their_window(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    subscribe(session, clock, OTHER_LANDLINE, EACH_AFTERNOON)
    subscribe(session, clock, TURKISH, news_calls.Choices(WEEKLY, 4, MORNING))
    item = publish(session, clock)
    broadcast(session, item, clock())
    broadcast(session, item, clock())  # sent again by SMS: nobody is called twice for it

    queued = {call.recipient: call for call in calls(session)}
    assert sorted(queued) == sorted([LANDLINE, OTHER_LANDLINE])
    assert queued[LANDLINE].next_attempt_at == clock()  # Tuesday 10:00: the morning window is open
    assert queued[OTHER_LANDLINE].next_attempt_at == at(24, 15)
    assert {call.body for call in queued.values()} == {str(item.id)}
    assert {call.status for call in queued.values()} == {QUEUED}


def test_a_scheduled_announcement_calls_from_its_time_on(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    item = publish(session, clock, publish_at=at(28, 14))
    broadcast(session, item, clock(), send_at=at(28, 14))  # Saturday afternoon: the morning is over
    assert [call.next_attempt_at for call in calls(session)] == [at(30, 9)]


def test_listeners_of_a_skipped_language_get_no_call(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    subscribe(session, clock, TURKISH, language="tr")
    item = publish(session, clock, untranslated=SKIP_UNTRANSLATED)
    languages = [language.code for language in queries.town_profile(session).languages]
    assert news_calls.audience(session, languages=languages, announcement_id=item.id)["tr"] == 1
    broadcast(session, item, clock())
    assert [call.recipient for call in calls(session)] == [LANDLINE]


def test_the_audience_leaves_out_who_was_called_for_the_item_already(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    item = publish(session, clock)
    languages = [language.code for language in queries.town_profile(session).languages]
    assert news_calls.audience(session, languages=languages, announcement_id=item.id)["de"] == 1
    broadcast(session, item, clock())
    assert news_calls.audience(session, languages=languages, announcement_id=item.id)["de"] == 0
    assert news_calls.audience(session, languages=languages)["de"] == 1


# What the provider's reports do to a call ----------------------------------------------------------


def placed(session, call: OutboundMessage, provider_id: str = "CA" + "1" * 32) -> OutboundMessage:
    """As the worker leaves a call it placed: ringing, with the provider's id."""
    call.status, call.provider_id, call.attempts = SENT, provider_id, call.attempts + 1
    session.commit()
    return call


def one_call(session, clock) -> OutboundMessage:
    subscribe(session, clock, LANDLINE)
    broadcast(session, publish(session, clock), clock())
    (call,) = calls(session)
    return placed(session, call)


def test_an_answered_call_is_delivered_at_once_and_forgets_the_number(session, clock) -> None:
    call = one_call(session, clock)
    plan = news_calls.answered(session, call.id, call.provider_id, PERSON, clock())
    session.commit()
    assert plan == news_calls.CallPlan(call.id, (int(call.body),), "de")
    (after,) = calls(session)
    assert (after.status, after.call_outcome) == (DELIVERED, PERSON)
    # The provider asks again: the same plan, nothing changes.
    assert news_calls.answered(session, call.id, call.provider_id, MACHINE, clock()) == plan
    # The call is over: only the count stays, whatever the report says.
    news_calls.ended(session, call.id, call.provider_id, BUSY, queries.town_profile(session), clock())
    session.commit()
    (again,) = calls(session)
    assert (again.status, again.call_outcome, again.recipient) == (DELIVERED, PERSON, "")


def test_a_settled_call_whose_end_was_never_reported_forgets_the_number_a_day_later(session, clock) -> None:
    call = one_call(session, clock)
    news_calls.answered(session, call.id, call.provider_id, PERSON, clock())
    session.commit()
    profile = queries.town_profile(session)
    assert privacy.purge(session, profile, clock(), privacy.recordings_dir())["call_numbers"] == 0
    touched = privacy.purge(session, profile, clock() + timedelta(days=1, minutes=1), privacy.recordings_dir())
    session.commit()
    assert touched["call_numbers"] == 1
    assert [(c.status, c.recipient) for c in calls(session)] == [(DELIVERED, "")]


def test_a_call_whose_end_nobody_could_tell_forgets_the_number_a_day_after_it_was_placed(session, clock) -> None:
    """Twilio lost the end report and cannot tell about the call (it answers 404): the worker stops
    asking after a few days, and the call stays "sent". Its number goes a day after it was placed,
    as for any call whose end was never reported, not with the outbox's rows months later."""
    call = one_call(session, clock)
    call.claimed_at = clock()  # as the worker's claim leaves it, just before it dials
    session.commit()
    profile = queries.town_profile(session)
    assert privacy.purge(session, profile, clock() + timedelta(hours=23), privacy.recordings_dir())["call_numbers"] == 0
    touched = privacy.purge(session, profile, clock() + timedelta(days=1, minutes=1), privacy.recordings_dir())
    session.commit()
    assert touched["call_numbers"] == 1
    assert [(c.status, c.recipient) for c in calls(session)] == [(SENT, "")]
    assert privacy.kept_about(session, LANDLINE).calls_waiting == 0
    # Should its end be told after all, it is settled without the number (no call lasts a day).
    news_calls.ended(session, call.id, call.provider_id, BUSY, profile, clock() + timedelta(days=2))
    session.commit()
    assert [(c.status, c.call_outcome, c.recipient) for c in calls(session)] == [(FAILED, BUSY, "")]


def test_a_report_for_another_call_changes_nothing(session, clock) -> None:
    call = one_call(session, clock)
    assert news_calls.answered(session, call.id, "CA" + "2" * 32, PERSON, clock()) is None
    assert news_calls.answered(session, call.id + 1000, call.provider_id, PERSON, clock()) is None
    (after,) = calls(session)
    assert after.status == SENT


def test_a_busy_line_is_tried_again_in_the_next_window_then_given_up(session, clock, profile) -> None:
    call = one_call(session, clock)
    assert profile.call_retries == 2
    moments = []
    for _ in range(profile.call_retries):
        news_calls.ended(session, call.id, call.provider_id, BUSY, profile, clock())
        session.commit()
        (call,) = calls(session)
        assert (call.status, call.call_outcome, call.provider_id) == (QUEUED, BUSY, None)
        moments.append(call.next_attempt_at)
        clock.now = call.next_attempt_at
        call = placed(session, call, provider_id=f"CA{call.attempts + 1:032d}")
    # Tuesday 10:00 + 2 h is after the morning window: Wednesday 9:00, then 11:00.
    assert moments == [at(25, 9), at(25, 11)]
    news_calls.ended(session, call.id, call.provider_id, NO_ANSWER, profile, clock())
    session.commit()
    (call,) = calls(session)
    assert (call.status, call.call_outcome, call.recipient) == (FAILED, NO_ANSWER, "")


def test_the_answering_machine_ends_the_tries_unless_the_subscriber_wants_another(session, clock, profile) -> None:
    call = one_call(session, clock)
    news_calls.keep_trying_after_machine(session, LANDLINE, keep_trying=True)
    news_calls.answered(session, call.id, call.provider_id, MACHINE, clock())
    session.commit()
    (after,) = calls(session)
    assert (after.status, after.call_outcome) == (SENT, MACHINE)  # the end of the call decides
    news_calls.ended(session, call.id, call.provider_id, None, profile, clock())
    session.commit()
    (after,) = calls(session)
    assert (after.status, after.call_outcome) == (QUEUED, MACHINE)

    news_calls.keep_trying_after_machine(session, LANDLINE, keep_trying=False)
    call = placed(session, after, provider_id="CA" + "3" * 32)
    news_calls.answered(session, call.id, call.provider_id, MACHINE, clock())
    news_calls.ended(session, call.id, call.provider_id, None, profile, clock())
    session.commit()
    (after,) = calls(session)
    assert (after.status, after.call_outcome, after.recipient) == (DELIVERED, MACHINE, "")


def test_progress_counts_calls_by_how_they_went(session, clock, profile) -> None:
    numbers = [f"+49631100000{n}" for n in range(6)]
    for number in numbers:
        subscribe(session, clock, number)
    sent = broadcast(session, publish(session, clock), clock())
    rows = {call.recipient: call for call in calls(session)}
    for index, number in enumerate(numbers[:5]):
        placed(session, rows[number], provider_id=f"CA{index:032d}")
    a, b, c, d, e, _waiting = (rows[number] for number in numbers)
    news_calls.answered(session, a.id, a.provider_id, PERSON, clock())
    news_calls.answered(session, b.id, b.provider_id, MACHINE, clock())
    news_calls.ended(session, c.id, c.provider_id, BUSY, profile, clock())  # tried again later
    d.attempts = 1 + profile.call_retries
    news_calls.ended(session, d.id, d.provider_id, NO_ANSWER, profile, clock())  # given up
    session.commit()
    assert news_calls.progress(session, sent.id) == {
        "queued": 1,
        "ringing": 1,  # e
        "person": 1,
        "machine": 1,
        "busy": 0,
        "no_answer": 1,
        "failed": 0,
        "retrying": 1,
        "stopped": 0,
    }
    assert e.status == SENT


# Stopping, erasing, weekly summaries -----------------------------------------------------------------


def test_stopping_deletes_the_subscription_and_the_calls_still_waiting_stay_only_as_counts(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    sent = broadcast(session, publish(session, clock), clock())
    assert news_calls.stop(session, LANDLINE)
    session.commit()
    assert news_calls.find(session, LANDLINE) is None
    assert [(call.status, call.call_outcome, call.recipient) for call in calls(session)] == [(FAILED, STOPPED, "")]
    assert news_calls.progress(session, sent.id)["stopped"] == 1
    assert not news_calls.stop(session, LANDLINE)


def test_subscribing_again_replaces_the_choices_and_moves_waiting_calls(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    broadcast(session, publish(session, clock), clock())
    subscriber = subscribe(session, clock, LANDLINE, news_calls.Choices(WEEKLY, 2, AFTERNOON), language="tr")
    assert (subscriber.frequency, subscriber.weekday, subscriber.window, subscriber.language) == (
        WEEKLY,
        2,
        AFTERNOON,
        "tr",
    )
    assert [call.window for call in calls(session)] == [AFTERNOON]
    assert session.scalar(select(CallSubscriber.id).where(CallSubscriber.number == LANDLINE)) == subscriber.id


def test_erasure_ends_the_calls_and_what_is_kept_names_them(app, session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    broadcast(session, publish(session, clock), clock())
    kept = privacy.kept_about(session, LANDLINE)
    assert kept.calls is not None and kept.anything and kept.calls_waiting == 1
    record = privacy.as_record(kept)
    assert record["news_calls"]["consent_wording"] == "Wir rufen Sie an."
    assert record["news_calls_holding_the_number"] == 1
    privacy.erase(session, LANDLINE, asked_on="staff")
    session.commit()
    assert news_calls.find(session, LANDLINE) is None
    assert [(call.status, call.call_outcome, call.recipient) for call in calls(session)] == [(FAILED, STOPPED, "")]


def test_a_weekly_summary_reads_the_weeks_news_on_the_subscribers_weekday_once(session, clock, profile) -> None:
    tuesday = 1
    subscribe(session, clock, LANDLINE, news_calls.Choices(WEEKLY, tuesday, AFTERNOON))
    subscribe(session, clock, OTHER_LANDLINE, news_calls.Choices(WEEKLY, tuesday + 1, MORNING))
    old = publish(session, clock, publish_at=clock() - timedelta(days=8))
    older = publish(session, clock, publish_at=clock() - timedelta(days=3))
    newer = publish(session, clock, publish_at=clock() - timedelta(days=1))
    session.commit()
    news = [old, older, newer]
    assert news_calls.queue_summaries(session, profile, news, clock()) > 0
    session.commit()
    (call,) = calls(session)
    assert (call.recipient, call.body, call.next_attempt_at) == (LANDLINE, f"{newer.id},{older.id}", at(24, 15))
    assert str(old.id) not in call.body.split(",")
    assert news_calls.queue_summaries(session, profile, news, clock() + timedelta(hours=3)) == 0  # once a day
    session.commit()
    assert len(calls(session)) == 1


def test_no_summary_without_news_and_none_on_a_sunday(session, clock, profile) -> None:
    subscribe(session, clock, LANDLINE, news_calls.Choices(WEEKLY, 6 - 1, MORNING))
    assert news_calls.queue_summaries(session, profile, [], at(28, 8)) == 0
    item = publish(session, clock, publish_at=at(27, 9))
    session.commit()
    assert news_calls.queue_summaries(session, profile, [item], at(29, 8)) == 0  # nobody's day is a Sunday
    session.commit()
    assert calls(session) == []


def test_a_summary_due_on_a_holiday_rings_on_the_next_calling_day(session, clock, profile) -> None:
    thursday = 3
    subscribe(session, clock, LANDLINE, news_calls.Choices(WEEKLY, thursday, MORNING))
    item = publish(session, clock, publish_at=at(2, 9, month=6))
    session.commit()
    assert news_calls.queue_summaries(session, profile, [item], at(4, 8, month=6)) > 0  # Fronleichnam
    session.commit()
    (call,) = calls(session)
    assert call.next_attempt_at == at(5, 9, month=6)


def test_choices_that_make_no_sense_are_refused() -> None:
    with pytest.raises(ValueError):
        news_calls.Choices(WEEKLY, None, MORNING)
    with pytest.raises(ValueError):
        news_calls.Choices(WEEKLY, 6, MORNING)  # Sunday
    with pytest.raises(ValueError):
        news_calls.Choices(EVERY_ITEM, 2, MORNING)
    with pytest.raises(ValueError):
        news_calls.Choices(EVERY_ITEM, None, "night")


def test_an_archived_announcement_takes_back_its_calls_not_yet_placed(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    subscribe(session, clock, OTHER_LANDLINE)
    item = publish(session, clock)
    broadcast(session, item, clock())
    ringing = placed(session, calls(session)[0])
    assert news_calls.withdraw(session, item.id) == 1
    session.commit()
    assert [call.id for call in calls(session)] == [ringing.id]


def test_a_call_still_waiting_cannot_be_answered_nor_another_try_or_number_settle_it(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    broadcast(session, publish(session, clock), clock())
    (waiting,) = calls(session)
    assert news_calls.answered(session, waiting.id, "CA" + "1" * 32, PERSON, clock()) is None  # never placed
    call = placed(session, waiting)
    assert news_calls.answered(session, call.id, call.provider_id, PERSON, clock(), attempt=2) is None
    assert news_calls.answered(session, call.id, call.provider_id, PERSON, clock(), number=OTHER_LANDLINE) is None
    news_calls.ended(session, call.id, call.provider_id, BUSY, queries.town_profile(session), clock(), attempt=2)
    session.commit()
    assert [(row.status, row.call_outcome) for row in calls(session)] == [(SENT, None)]
    plan = news_calls.answered(session, call.id, call.provider_id, PERSON, clock(), attempt=1, number=LANDLINE)
    assert plan is not None and plan.language == "de"


def test_an_answer_that_was_never_noted_counts_as_not_heard_and_is_tried_again(session, clock, profile) -> None:
    call = one_call(session, clock)  # the answer webhook failed: nobody heard the news
    news_calls.ended(session, call.id, call.provider_id, PERSON, profile, clock())
    session.commit()
    (after,) = calls(session)
    assert (after.status, after.call_outcome, after.recipient) == (QUEUED, CALL_FAILED, LANDLINE)


def test_stopping_takes_back_a_call_the_worker_has_taken_but_not_placed(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    broadcast(session, publish(session, clock), clock())
    (call,) = calls(session)
    call.status = SENDING
    session.commit()
    news_calls.stop(session, LANDLINE)
    session.commit()
    assert [(call.status, call.recipient) for call in calls(session)] == [(FAILED, "")]


def test_a_person_who_answers_hears_every_news_item_waiting_for_their_number_in_one_call(session, clock) -> None:
    subscribe(session, clock, LANDLINE)
    subscribe(session, clock, OTHER_LANDLINE)
    first = publish(session, clock)
    broadcast(session, first, clock())
    second = publish(session, clock, {"de": {"title": "Noch etwas", "body": "Mehr."}})
    broadcast(session, second, clock())
    mine = [call for call in calls(session) if call.recipient == LANDLINE]
    call = placed(session, mine[0])
    plan = news_calls.answered(session, call.id, call.provider_id, PERSON, clock())
    session.commit()
    assert plan is not None and plan.announcements == (first.id, second.id)
    rows = {row.id: row for row in calls(session)}
    assert (rows[mine[1].id].status, rows[mine[1].id].provider_id) == (DELIVERED, call.provider_id)
    assert [row.status for row in rows.values() if row.recipient == OTHER_LANDLINE] == [QUEUED, QUEUED]
    # The provider asks again: the same news, all of it.
    assert news_calls.answered(session, call.id, call.provider_id, PERSON, clock()) == plan
