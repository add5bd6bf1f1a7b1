"""What calls to the hotline leave in the usage figures: anonymous steps, tied together per call
only until the day is counted (content.usage, ivr.usage_steps)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from content import privacy, usage
from content.models import UsageEvent
from tests.conftest import written_events
from tests.twilio_fake import Caller


def events(app, session) -> list[tuple[str, str, str | None]]:
    written_events(app)
    session.expire_all()
    rows = session.execute(select(UsageEvent.kind, UsageEvent.detail, UsageEvent.call).order_by(UsageEvent.id))
    return [(kind, detail, call) for kind, detail, call in rows]


def test_a_call_leaves_its_steps_and_nothing_of_the_caller(app, session, signer) -> None:
    caller = Caller(signer).call("CA" + "1" * 32).press("1").press("1").press("7")
    found = events(app, session)
    calls = {call for _kind, _detail, call in found}
    assert len(calls) == 1 and None not in calls  # one call, its steps tied together
    news = [detail for kind, detail, _call in found if kind == usage.NEWS_HEARD]
    assert [(kind, detail) for kind, detail, _call in found] == [
        (usage.CALL, "new"),
        (usage.LANGUAGE, "de"),
        (usage.MENU, "main"),
        (usage.KEY, "1"),
        (usage.MENU, "news"),
        (usage.NEWS_HEARD, news[0]),
        (usage.KEY, "1"),
        (usage.MENU, "news"),
        (usage.NEWS_HEARD, news[1]),
        (usage.KEY, "7"),
        (usage.UNKNOWN, ""),
        (usage.MENU, "news"),
    ]
    assert news[0] != news[1]
    every_column = str(session.execute(select(UsageEvent.__table__)).all())
    with app.app_context():
        assert caller.number not in every_column and privacy.pseudonym_of(caller.number) not in every_column
        assert caller.call_sid not in every_column  # the provider's id for the call neither


def test_saying_it_again_is_no_new_item_heard(app, session, signer) -> None:
    Caller(signer).call("CA" + "2" * 32).press("1").press("*").press("*")
    assert [kind for kind, _detail, _call in events(app, session)].count(usage.NEWS_HEARD) == 1


def test_a_caller_put_through_and_one_who_stays_silent(app, session, signer, clock) -> None:
    Caller(signer).call("CA" + "3" * 32).press("0")
    Caller(signer, "+4915199999999").call("CA" + "4" * 32).silence()
    found = events(app, session)
    first, second = dict.fromkeys(call for _kind, _detail, call in found)
    assert [(kind, detail) for kind, detail, call in found if call == first][-2:] == [
        (usage.KEY, "0"),
        (usage.MENU, "person"),
    ]
    assert [(kind, detail) for kind, detail, call in found if call == second] == [
        (usage.CALL, "new"),
        (usage.LANGUAGE, "de"),
        (usage.MENU, "main"),
        (usage.SILENCE, ""),
        (usage.MENU, "main"),
    ]


def test_the_day_is_counted_per_call_and_the_calls_are_forgotten(app, session, signer, clock) -> None:
    Caller(signer).call("CA" + "5" * 32).press("1")  # new, hangs up in the news
    clock.now += timedelta(minutes=5)
    Caller(signer).call("CA" + "6" * 32).press("2")  # the same number again: returning, the projects
    Caller(signer, "+4915199999999").call("CA" + "7" * 32).press("3")  # taking part
    written_events(app)
    today = clock().date()
    with app.app_context():
        zone = usage.ZoneInfo("Europe/Berlin")
        assert usage.count_finished_days(session, zone, clock()) == []  # the day is not over
        clock.now += timedelta(days=1)
        assert usage.count_finished_days(session, zone, clock()) == [today]
        session.commit()
        assert usage.count_finished_days(session, zone, clock()) == []  # once
        found = usage.figures(session, today, today, zone)

    def counts(kind: str) -> dict[str, int]:
        return {f.detail: f.count for f in found if f.kind == kind}

    assert counts(usage.CALLS) == {"new": 2, "returning": 1}
    assert counts(usage.REACHED) == {"main": 3, "news": 1, "projects": 1, "take-part": 1}
    assert counts(usage.ENDED_IN) == {"news": 1, "projects": 1, "take-part": 1}
    assert counts(usage.DURATION) == {"under-1": 3}
    assert counts(usage.CALL_LANGUAGE) == {"de": 3}
    assert [call for _kind, _detail, call in events(app, session)] == [None] * len(events(app, session))


def test_key_0_outside_office_hours_counts_as_asking_for_a_person(app, session, signer, clock) -> None:
    clock.now = clock().replace(hour=21)  # Tuesday evening: nobody in the office
    caller = Caller(signer).call("CA" + "8" * 32).press("0")
    assert caller.gather is not None and caller.dialled is None  # the call back is offered
    assert [(kind, detail) for kind, detail, _call in events(app, session)][-2:] == [
        (usage.KEY, "0"),
        (usage.MENU, "person"),
    ]
