"""What staff see of news calls: the confirmation before sending (who is called, the minutes, when
it rings), the progress of a broadcast's calls, the overview, the settings, and one number looked up."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select, update

from content import news_calls, outbox, queries
from content.models import (
    AFTERNOON,
    BUSY,
    CALL,
    CALL_FAILED,
    MACHINE,
    MORNING,
    NO_ANSWER,
    PERSON,
    SENT,
    SMS,
    WEEKLY,
    Announcement,
    Broadcast,
    OutboundMessage,
)
from content.profile import RETENTION_DAYS, TownProfile
from content.snapshot import current
from tests.conftest import BERLIN
from tests.factories import create_announcement
from tests.web.conftest import CALLING_TIMES
from tests.web.markup import elements
from tests.web.test_staff import announcement_texts, confirmation, subscribers
from web.staff import calls

# Landlines: the people news calls are for (Kaiserslautern, numbers as in the demo's examples).
LANDLINE = "+496313650{:03d}"


def call_subscribers(session, now, *people: tuple[str, str], frequency: str = "each", weekday: int | None = None):
    """Call subscribers, each (language, window), subscribed as on the phone."""
    for n, (language, window) in enumerate(people, 1):
        news_calls.subscribe(
            session,
            LANDLINE.format(n),
            language=language,
            choices=news_calls.Choices(frequency, weekday, window),
            wording="Ja, rufen Sie mich bei Neuigkeiten an.",
            now=now,
        )
    session.commit()


def placed(session, call: OutboundMessage, now: datetime) -> str:
    """The worker's part, as its contract says: the call was handed to the provider and rings
    (status "sent" with the provider's id, one attempt more). Returns the provider's id."""
    provider_id = f"CA{call.id:032d}"
    session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id == call.id)
        .values(status=SENT, provider_id=provider_id, attempts=OutboundMessage.attempts + 1, updated_at=now)
    )
    session.commit()
    session.refresh(call)
    return provider_id


def calls_of(session, broadcast_id: int) -> list[OutboundMessage]:
    query = select(OutboundMessage).where(OutboundMessage.broadcast_id == broadcast_id, OutboundMessage.channel == CALL)
    return list(session.scalars(query.order_by(OutboundMessage.id)))


def definitions(page: str, marker: str) -> dict[str, str]:
    """The terms and their descriptions of the definition list that starts with marker ("<dl data-calls>")."""
    part = page[page.index(marker) :]
    part = part[: part.index("</dl>")]
    terms, descriptions = elements(part, "dt"), elements(part, "dd")
    return dict(zip([term.text for term in terms], [text.text for text in descriptions], strict=True))


def rows(page: str, attribute: str) -> dict[str, str]:
    """The table rows with this attribute, by its value: the row's text."""
    return {row.attrs[attribute]: row.text for row in elements(page, "tr") if attribute in row.attrs}


# How long a call lasts and what it is billed ------------------------------------------------------


def test_every_minute_begun_is_billed() -> None:
    assert [calls.billed_minutes(seconds) for seconds in (0.5, 59.9, 60, 60.1, 179)] == [1, 1, 1, 2, 3]


def test_a_short_news_item_is_a_one_minute_call_and_a_long_one_takes_longer_slowly_still_longer() -> None:
    short = "Neue Sprechstunde. Ab Montag gibt es eine Sprechstunde im Rathaus."
    long = " ".join(["Wort"] * 249) + " Ende."
    assert calls.billed_minutes(calls.call_seconds(short)) == 1
    assert calls.billed_minutes(calls.call_seconds(long)) == 3
    assert calls.billed_minutes(calls.call_seconds(long, slow=True)) == 4  # Leichte Sprache is read slowly


def test_speech_takes_its_words_at_the_hotlines_speed_and_a_pause_after_each_sentence() -> None:
    # 126 words a minute at 90 % of 140; a pause of 0.35 s after each of the two sentences.
    assert calls.spoken_seconds(" ".join(["Wort"] * 125) + ". Ja.") == pytest.approx(60 + 0.7)
    assert calls.spoken_seconds("   ") == 0


def test_a_listener_of_a_language_without_its_text_hears_the_note_first_or_gets_no_call() -> None:
    texts = {"de": {"title": "Neue Sprechstunde", "body": "Ab Montag im Rathaus.", "spoken": ""}}
    assert calls.item_as_heard(texts, "note", "de", "de") == "Neue Sprechstunde. Ab Montag im Rathaus."
    assert calls.item_as_heard(texts, "note", "en", "de") == "Only in German: Neue Sprechstunde. Ab Montag im Rathaus."
    assert calls.item_as_heard(texts, "skip", "en", "de") is None
    spoken = {"de": {"title": "Bürgerbüro", "body": "Öffnet um 7 Uhr.", "spoken": "Das Bürgerbüro öffnet um sieben."}}
    assert calls.item_as_heard(spoken, "note", "de", "de") == "Das Bürgerbüro öffnet um sieben."


def test_the_pace_of_the_calls_is_said_in_whole_calls_or_seconds(app) -> None:
    assert calls.pace(1.0, "de") == "Die Stadt beginnt höchstens 1 Anruf pro Sekunde."
    assert calls.pace(5, "de") == "Die Stadt beginnt höchstens 5 Anrufe pro Sekunde."
    assert calls.pace(0.5, "de") == "Die Stadt beginnt höchstens einen Anruf alle 2 Sekunden."
    assert calls.pace(0, "de") == "Die Stadt beginnt die Anrufe ohne Pause dazwischen."  # no pacing


@pytest.mark.parametrize(
    ("per_second", "language", "said"),
    [
        (1.5, "de", "Die Stadt beginnt höchstens 1,5 Anrufe pro Sekunde."),
        (1.5, "en", "The city starts at most 1.5 calls a second."),
        (0.4, "de", "Die Stadt beginnt höchstens einen Anruf alle 2,5 Sekunden."),
        (0.9, "de", "Die Stadt beginnt höchstens 0,9 Anrufe pro Sekunde."),  # every 1.111… seconds
        (0.25, "de", "Die Stadt beginnt höchstens einen Anruf alle 4 Sekunden."),
        (1000, "de", "Die Stadt beginnt höchstens 1.000 Anrufe pro Sekunde."),
    ],
)
def test_the_pace_is_said_as_configured_never_rounded_to_another_figure(app, per_second, language, said) -> None:
    assert calls.pace(per_second, language) == said


def test_the_calls_of_a_window_ring_from_its_next_opening_and_many_take_several_calling_days() -> None:
    profile = TownProfile(holidays_subdivision="RP")
    christmas_eve = datetime(2026, 12, 24, 13, 0, tzinfo=BERLIN)  # Thursday; the 25th and 26th are holidays
    morning, afternoon = calls.when_they_ring(profile, {MORNING: 100_000, AFTERNOON: 3}, christmas_eve, 1.0)
    assert morning.first == datetime(2026, 12, 28, 9, 0, tzinfo=BERLIN)  # Monday: not the holidays, not Sunday
    assert afternoon.first == datetime(2026, 12, 24, 15, 0, tzinfo=BERLIN)
    assert (morning.calling_days, afternoon.calling_days, afternoon.minutes) == (10, 1, 1)  # 3 h a day at 1 a second
    assert calls.when_they_ring(profile, {MORNING: 0, AFTERNOON: 0}, christmas_eve, 1.0) == []


# The confirmation before sending -----------------------------------------------------------------


def test_the_confirmation_shows_whom_it_calls_the_minutes_and_when_the_calls_ring(app, editor, session, clock) -> None:
    subscribers(session, ("de", []))
    call_subscribers(session, clock(), ("de", MORNING), ("de", AFTERNOON), ("en", MORNING))
    news_calls.subscribe(  # weekly on Friday: not called for a single announcement
        session, "+496313659999", language="de", choices=news_calls.Choices(WEEKLY, 4), wording="Ja", now=clock()
    )
    session.commit()
    page = editor.submit("/staff/announcements/new", {**announcement_texts(), "action": "publish", "send": "y"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and session.scalar(select(func.count()).select_from(OutboundMessage)) == 0
    # Language, calls, minutes per call, minutes.
    assert rows(text, "data-calls") == {"de": "Deutsch 2 1 2", "en": "Englisch 1 1 1"}
    assert "Etwa 3 Anrufminuten insgesamt (jede angefangene Minute zählt)." in text
    assert rows(text, "data-window") == {
        # Tuesday 10:00: the morning calls start now, the afternoon ones at three.
        "morning": "vormittags von 9 bis 12 Uhr 2 24. November 2026, 10:00 etwa 1 Minute",
        "afternoon": "nachmittags von 15 bis 18 Uhr 1 24. November 2026, 15:00 etwa 1 Minute",
    }
    assert elements(text, "p", data_out="pace")[0].text == "Die Stadt beginnt höchstens 1 Anruf pro Sekunde."
    assert (
        ">Jetzt veröffentlichen und an 4 Abonnentinnen und Abonnenten senden: 1 per SMS, 3 per Anruf</button>" in text
    )


def test_sent_the_calls_are_queued_once_per_call_subscriber_in_their_window(app, editor, session, clock) -> None:
    subscribers(session, ("de", []))
    call_subscribers(session, clock(), ("de", MORNING), ("en", AFTERNOON))
    response = editor.submit(
        "/staff/announcements/new",
        confirmation(editor, "/staff/announcements/new", {**announcement_texts(), "action": "publish", "send": "y"}),
    )
    assert response.status_code == 302
    broadcast_id = int(response.headers["Location"].rsplit("/", 1)[1])
    queued = {(call.recipient, call.window, call.next_attempt_at) for call in calls_of(session, broadcast_id)}
    assert queued == {
        (LANDLINE.format(1), MORNING, clock()),
        (LANDLINE.format(2), AFTERNOON, datetime(2026, 11, 24, 15, 0, tzinfo=BERLIN)),
    }


def test_a_new_call_subscriber_since_the_overview_asks_to_check_again(app, editor, session, clock) -> None:
    subscribers(session, ("de", []))
    call_subscribers(session, clock(), ("de", MORNING))
    pressed = confirmation(
        editor, "/staff/announcements/new", {**announcement_texts(), "action": "publish", "send": "y"}
    )
    news_calls.subscribe(
        session, "+496313658888", language="de", choices=news_calls.Choices(), wording="Ja", now=clock()
    )
    session.commit()
    page = editor.submit("/staff/announcements/new", pressed)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and session.scalar(select(func.count()).select_from(OutboundMessage)) == 0
    assert "hat sich die Zahl der Abonnentinnen und Abonnenten geändert" in text
    assert ": 1 per SMS, 2 per Anruf</button>" in text


def test_a_broadcast_that_reaches_only_call_subscribers_is_sent_and_shown(app, editor, session, clock) -> None:
    call_subscribers(session, clock(), ("de", MORNING))
    data = {**announcement_texts(), "action": "publish", "send": "y"}
    pressed = confirmation(editor, "/staff/announcements/new", data)
    shown = editor.submit("/staff/announcements/new", data).get_data(as_text=True)
    assert ">Jetzt veröffentlichen und an 1 Abonnentin oder Abonnenten senden: 0 per SMS, 1 per Anruf<" in shown
    assert "Per SMS bekommt diese Meldung niemand: Es gibt keine SMS-Abonnentinnen und -Abonnenten dafür." in shown
    assert "Abonnenten nach Sprache" not in shown and "Geschätzte Kosten" not in shown  # no table of zeros
    response = editor.submit("/staff/announcements/new", pressed)
    assert response.status_code == 302
    progress = editor.client.get(response.headers["Location"] + ".json").get_json()
    assert (progress["total"], progress["calls"], progress["calls_queued"], progress["left"]) == (0, 1, 1, 1)
    page = editor.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Anrufe insgesamt" in page and "Nachrichten insgesamt" not in page  # no SMS part without SMS


def test_calls_have_no_topics_and_a_skipped_language_gets_no_call(app, editor, session, clock) -> None:
    subscribers(session, ("de", ["mobility"]))
    call_subscribers(session, clock(), ("de", MORNING), ("en", MORNING))
    data = {**announcement_texts(), "title_en": "", "body_en": "", "untranslated": "skip"}
    page = editor.submit("/staff/announcements/new", {**data, "action": "publish", "send": "y", "topic": "mobility"})
    text = page.get_data(as_text=True)
    assert "Anrufe kennen keine Themen: Alle bekommen diesen Anruf." in text
    assert rows(text, "data-calls") == {"de": "Deutsch 1 1 1"}  # the English listener gets nothing of it


def test_sending_again_calls_nobody_twice_and_says_so(app, editor, session, clock) -> None:
    subscribers(session, ("de", []))
    call_subscribers(session, clock(), ("de", MORNING), ("de", AFTERNOON))
    data = {**announcement_texts(), "action": "publish", "send": "y"}
    first = editor.submit("/staff/announcements/new", confirmation(editor, "/staff/announcements/new", data))
    assert first.status_code == 302
    item_id = session.scalar(select(Broadcast.announcement_id))
    again = editor.submit(f"/staff/announcements/{item_id}", data).get_data(as_text=True)
    assert re.search(r"Diese Meldung wurde schon am \d+\. \w+ \d{4}, \d\d:\d\d verschickt\.", again)
    assert "Angerufen wird wegen derselben Meldung niemand zweimal." in again
    assert "data-calls=" not in again  # both were called for it already: no call table
    assert ">Jetzt veröffentlichen und an 1 Abonnentin oder Abonnenten senden</button>" in again
    editor.submit(f"/staff/announcements/{item_id}", confirmation(editor, f"/staff/announcements/{item_id}", data))
    everything = session.scalars(select(OutboundMessage.channel)).all()
    assert (everything.count(SMS), everything.count(CALL), session.scalar(select(func.count(Broadcast.id)))) == (
        2,
        2,
        2,
    )


# The progress of a broadcast's calls ---------------------------------------------------------------


@pytest.fixture
def call_broadcast(app, session, clock) -> int:
    """A broadcast of one news item to two SMS subscribers and eight call subscribers, each call
    in another state, reached through the content functions the webhooks and the worker use."""
    now = clock()
    subscribers(session, ("de", []), ("de", []))
    call_subscribers(session, now, *[("de", MORNING)] * 8)
    item = create_announcement(session, now)
    sent = outbox.broadcast(session, item, languages=["de", "en"], author="redaktion", now=now)
    session.commit()
    waiting, ringing, person, machine, busy_again, busy, no_answer, failed = calls_of(session, sent.id)
    placed(session, ringing, now)
    profile = queries.town_profile(session)
    no_retries = dataclasses.replace(profile, call_retries=0)
    news_calls.answered(session, person.id, placed(session, person, now), PERSON, now)
    news_calls.answered(session, machine.id, placed(session, machine, now), MACHINE, now)
    news_calls.ended(session, busy_again.id, placed(session, busy_again, now), BUSY, profile, now)
    news_calls.ended(session, busy.id, placed(session, busy, now), BUSY, no_retries, now)
    news_calls.ended(session, no_answer.id, placed(session, no_answer, now), NO_ANSWER, no_retries, now)
    news_calls.ended(session, failed.id, placed(session, failed, now), CALL_FAILED, no_retries, now)
    session.commit()
    return sent.id


def test_the_progress_counts_each_call_by_how_it_went_beside_the_sms(editor, call_broadcast) -> None:
    progress = editor.client.get(f"/staff/broadcasts/{call_broadcast}.json").get_json()
    assert progress == {
        "total": 2,
        "waiting": 2,
        "sent": 0,
        "delivered": 0,
        "failed": 0,
        "done": 0,
        "calls": 8,
        "calls_queued": 1,
        "calls_ringing": 1,
        "calls_person": 1,
        "calls_machine": 1,
        "calls_busy": 1,
        "calls_no_answer": 1,
        "calls_failed": 1,
        "calls_retrying": 1,
        "calls_stopped": 0,
        "calls_done": 5,
        "left": 5,  # 2 SMS, and the calls waiting, ringing and to be tried again
        "percent": 50,
    }


def test_the_progress_page_names_every_call_figure(editor, call_broadcast) -> None:
    page = editor.client.get(f"/staff/broadcasts/{call_broadcast}").get_data(as_text=True)
    assert definitions(page, "<dl>") == {
        "Nachrichten insgesamt": "2",
        "Warten auf Versand": "2",
        "Verschickt, noch ohne Zustellbericht": "0",
        "Zugestellt": "0",
        "Fehlgeschlagen": "0",
    }
    assert definitions(page, "<dl data-calls>") == {
        "Anrufe insgesamt": "8",
        "Warten auf ihre Anrufzeit": "1",
        "Klingelt gerade": "1",
        "Von der Person angenommen": "1",
        "Nachricht auf dem Anrufbeantworter": "1",
        "Jedes Mal besetzt, kein weiterer Versuch": "1",
        "Nicht abgenommen, kein weiterer Versuch": "1",
        "Konnte nicht verbunden werden": "1",
        "Noch nicht erreicht, wird noch einmal versucht": "1",
        "Nicht angerufen: Die Person hat die Anrufe abbestellt": "0",
    }


def test_the_overview_shows_running_calls_and_the_call_subscribers(app, admin, call_broadcast, session) -> None:
    page = admin.client.get("/staff/").get_data(as_text=True)
    lines = [element.text for element in elements(page, "li") if element.attrs.get("class") == "waiting"]
    assert lines == [
        "Wird gerade gesendet: „Neue Sprechzeiten“, 0 von 2 SMS sind verschickt",
        "Anrufe zu „Neue Sprechzeiten“: 5 von 8 erledigt",
        "2 Personen bekommen die Nachrichten per SMS",
        "8 Personen werden bei Neuigkeiten angerufen",
    ]


def test_a_weekly_summary_is_a_broadcast_by_call_with_its_own_name(app, editor, session, clock) -> None:
    now = clock()  # a Tuesday
    call_subscribers(session, now, ("de", MORNING), frequency=WEEKLY, weekday=now.weekday())
    create_announcement(session, now, days_ago=2)
    news = list(session.scalars(select(Announcement)))
    profile = queries.town_profile(session)
    assert news_calls.queue_summaries(session, profile, news, now) == len(profile.languages)  # each hears it
    session.commit()
    summary = session.scalar(select(Broadcast).where(Broadcast.author == news_calls.SUMMARY_AUTHOR))
    page = editor.client.get(f"/staff/broadcasts/{summary.id}").get_data(as_text=True)
    assert "<h1>Wochenüberblick per Anruf</h1>" in page
    assert "hören die Neuigkeiten der letzten sieben Tage" in page
    overview = [e.text for e in elements(editor.client.get("/staff/").get_data(as_text=True), "li")]
    assert "Wochenüberblick per Anruf: 0 von 1 Anruf erledigt" in overview


# Settings: the calling times and the retries -------------------------------------------------------


def settings_with(**changed: str) -> dict[str, str]:
    return {
        "town": "Kaiserslautern",
        "holidays_subdivision": "RP",
        "timezone": "Europe/Berlin",
        "languages": "de de-DE Polly.Vicki-Neural\nen en-GB Polly.Amy-Neural",
        **{f"retention_{kind}": "30" for kind in RETENTION_DAYS},
        **CALLING_TIMES,
        **changed,
    }


@pytest.mark.parametrize(
    ("changed", "field", "reason"),
    [
        (
            {"calls_morning_start": "07:30"},
            "calls_morning_start",
            "Anrufe mit Neuigkeiten kommen nur zwischen 08:00 und 20:00 Uhr",
        ),
        (
            {"calls_afternoon_end": "21:00"},
            "calls_afternoon_end",
            "Anrufe mit Neuigkeiten kommen nur zwischen 08:00 und 20:00 Uhr",
        ),
        ({"calls_afternoon_start": "18:00"}, "calls_afternoon_end", "Das Ende muss nach dem Beginn liegen."),
        ({"calls_morning_end": "halb zwölf"}, "calls_morning_end", "Bitte schreiben Sie eine Uhrzeit wie 09:00."),
        # A time with a zone is no time of the town's day (and cannot be compared with one).
        ({"calls_morning_start": "09:00Z"}, "calls_morning_start", "Bitte schreiben Sie eine Uhrzeit wie 09:00."),
        ({"calls_afternoon_end": "17:00+01:00"}, "calls_afternoon_end", "Bitte schreiben Sie eine Uhrzeit wie 09:00."),
        ({"call_retries": "6"}, "call_retries", "Bitte wählen Sie eine Zahl von 0 bis 5."),
        ({"call_retries": "-1"}, "call_retries", "Bitte wählen Sie eine Zahl von 0 bis 5."),
    ],
)
def test_calling_times_outside_the_day_and_too_many_retries_are_refused_with_a_reason(
    app, admin, changed: dict, field: str, reason: str
) -> None:
    with app.app_context():
        before = current().profile
    response = admin.submit("/staff/settings", settings_with(**changed))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    (error,) = elements(text, "p", id=f"{field}-errors")
    assert error.text.startswith(reason)
    with app.app_context():
        assert current().profile == before


def test_the_calling_times_and_retries_are_saved_into_the_town_profile(app, admin) -> None:
    page = admin.client.get("/staff/settings").get_data(as_text=True)
    assert [e.attrs["value"] for e in elements(page, "input", type="time")] == ["09:00", "12:00", "15:00", "18:00"]
    changed = {"calls_morning_start": "8:30", "calls_morning_end": "11:00", "calls_afternoon_end": "19:45"}
    response = admin.submit("/staff/settings", settings_with(**changed, call_retries="0"))
    assert response.status_code == 302
    with app.app_context():
        profile = current().profile
    assert profile.calling_hours == {"morning": ["08:30", "11:00"], "afternoon": ["15:00", "19:45"]}
    assert profile.call_retries == 0


def test_changing_a_calling_time_says_how_many_people_agreed_to_the_old_one(app, admin, session, clock) -> None:
    call_subscribers(session, clock(), ("de", AFTERNOON), ("de", AFTERNOON), ("de", MORNING))
    later = settings_with(calls_afternoon_start="14:00", calls_afternoon_end="17:30")
    response = admin.submit("/staff/settings", later)
    assert response.status_code == 302
    notices = [e.text for e in elements(admin.client.get("/staff/settings").get_data(as_text=True), "p")]
    assert (
        "2 Personen bekommen die Anrufe mit Neuigkeiten ab jetzt nachmittags von 14 bis 17:30 Uhr, haben aber "
        "nachmittags von 15 bis 18 Uhr zugestimmt. Bitte sagen Sie es ihnen, zum Beispiel in der nächsten Meldung."
    ) in notices
    assert not [notice for notice in notices if "vormittags" in notice]  # the morning did not change


# One number looked up ------------------------------------------------------------------------------


def test_a_look_up_shows_the_call_subscription_its_consent_and_the_calls_waiting(app, admin, session, clock) -> None:
    number = LANDLINE.format(1)
    news_calls.subscribe(
        session,
        number,
        language="tr",
        choices=news_calls.Choices(WEEKLY, 1, AFTERNOON),
        wording="Evet, haberler olduğunda beni arayın.",
        now=clock(),
    )
    session.commit()
    page = admin.submit("/staff/subscribers", {"number": "0631 3650001"}).get_data(as_text=True)
    details = definitions(page, "<dl data-calls>")
    assert details["Wie oft"] == "Einmal in der Woche, am Dienstag, mit den Neuigkeiten der Woche"
    assert details["Wann"] == "nachmittags von 15 bis 18 Uhr"
    assert details["Anrufbeantworter"] == "Eine Nachricht auf dem Anrufbeantworter genügt."
    assert details["Eingewilligt"] == "24. November 2026, 10:00 per Telefon"
    assert details["Wortlaut der Einwilligung"] == "Evet, haberler olduğunda beni arayın."
    assert details["Sprache"] == "Türkisch"
    assert details["Wartende Anrufe"] == "Keine."
    assert '<tr data-figure="called"><td>Werden bei Neuigkeiten angerufen</td><td>1</td></tr>' in page


def test_a_look_up_says_when_the_next_call_rings_and_which_rings_now(app, admin, session, clock) -> None:
    call_subscribers(session, clock(), ("de", AFTERNOON))
    for days_ago in (0, 1):
        item = create_announcement(session, clock(), days_ago=days_ago)
        outbox.broadcast(session, item, languages=["de", "en"], author="redaktion", now=clock())
    session.commit()
    first, _second = session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)).all()
    page = admin.submit("/staff/subscribers", {"number": "0631 3650001"}).get_data(as_text=True)
    assert "2 Anrufe warten; der nächste kommt frühestens am 24. November 2026, 15:00." in page
    placed(session, first, clock())
    page = admin.submit("/staff/subscribers", {"number": "0631 3650001"}).get_data(as_text=True)
    (pending,) = elements(page, "dd", data_out="pending")
    assert pending.text == (
        "Gerade klingelt ein Anruf bei dieser Nummer. 1 Anruf wartet; der nächste kommt frühestens am "
        "24. November 2026, 15:00."
    )


def test_erasing_a_number_ends_its_news_calls(app, admin, session, clock) -> None:
    call_subscribers(session, clock(), ("de", MORNING))
    admin.submit("/staff/subscribers", {"number": "0631 3650001"}, to="/staff/subscribers/erase")
    session.expire_all()
    assert news_calls.find(session, LANDLINE.format(1)) is None
    page = admin.submit("/staff/subscribers", {"number": "0631 3650001"}).get_data(as_text=True)
    assert "Diese Nummer wird nicht bei Neuigkeiten angerufen." in page


def test_the_time_windows_in_a_week_roll_over_sunday(app, session) -> None:
    """Saturday evening: the next morning is Monday's (never a Sunday)."""
    saturday_evening = datetime(2026, 11, 28, 19, 0, tzinfo=BERLIN)
    (morning,) = calls.when_they_ring(queries.town_profile(session), {MORNING: 1}, saturday_evening, 1.0)
    assert morning.first == datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)


def test_the_confirmation_says_how_fast_the_calls_start_as_configured(app, editor, session, clock) -> None:
    app.config["CALLS_PER_SECOND"] = 0.5
    call_subscribers(session, clock(), ("de", MORNING))
    page = editor.submit("/staff/announcements/new", {**announcement_texts(), "action": "publish", "send": "y"})
    (pace,) = elements(page.get_data(as_text=True), "p", data_out="pace")
    assert pace.text == "Die Stadt beginnt höchstens einen Anruf alle 2 Sekunden."


def test_flask_news_send_says_how_many_are_called(app, session, clock) -> None:
    subscribers(session, ("de", []))
    call_subscribers(session, clock(), ("de", MORNING), ("en", AFTERNOON))
    item = create_announcement(session, clock())
    result = app.test_cli_runner().invoke(args=["news", "send", str(item.id)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"Broadcast \d+: 1 SMS queued, 2 news calls queued \(each rings in the calling time its subscriber chose\)\. "
        r"The worker \(flask outbox run\) sends them\.\n",
        result.output,
    )
    again = app.test_cli_runner().invoke(args=["news", "send", str(item.id), "--again"])
    assert "1 SMS queued, 0 news calls queued" in again.output  # nobody is called twice for an item


def test_archiving_takes_back_the_calls_that_have_not_rung(app, editor, session, clock) -> None:
    call_subscribers(session, clock(), ("de", MORNING), ("de", AFTERNOON))
    data = {**announcement_texts(), "action": "publish", "send": "y"}
    sent = editor.submit("/staff/announcements/new", confirmation(editor, "/staff/announcements/new", data))
    ringing, _waiting = calls_of(session, int(sent.headers["Location"].rsplit("/", 1)[1]))
    placed(session, ringing, clock())
    item_id = session.scalar(select(Broadcast.announcement_id))
    page = editor.submit(f"/staff/announcements/{item_id}", {}, to=f"/staff/announcements/{item_id}/archive")
    assert "1 Anruf, der noch nicht geklingelt hatte, wurde zurückgenommen." in editor.client.get(
        page.headers["Location"]
    ).get_data(as_text=True)
    session.expire_all()
    assert [call.id for call in session.scalars(select(OutboundMessage))] == [ringing.id]  # it rings on
