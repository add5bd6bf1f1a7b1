"""The news call: the city calls a resident who asked for it. A person hears who calls and why, the
news and the keys they know; an answering machine gets a short message; an answered call is
never placed again, and the provider's reports decide what is tried again."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from content import news_calls, outbox, privacy, queries
from content.models import (
    BUSY,
    CALL_FAILED,
    DELIVERED,
    FAILED,
    MACHINE,
    NO_ANSWER,
    PERSON,
    QUEUED,
    SENDING,
    SENT,
    STOPPED,
    WEEKLY,
    Announcement,
    CallbackRequest,
    CallSubscriber,
    OutboundMessage,
)
from content.news_calls import Choices
from ivr.news_call import STEPS_BESIDES, STEPS_PER_ITEM
from ivr.speaking import SLOW_RATE
from ivr.state import MOST_ERRORS
from tests.conftest import BERLIN
from tests.factories import create_announcement
from tests.ivr.calling import (
    LANDLINE,
    MOBILE,
    Resident,
    call,
    calls_to,
    new_call_sid,
    news_call,
    place,
    subscribe,
)
from tests.twilio_fake import BASE_URL, HOTLINE_NUMBER, Caller, problems

GREETING = "Hier ist das Bürgertelefon der Stadt Kaiserslautern mit einer neuen Meldung."
ITEM = "Die Meldung vom 24. November: Neue Sprechzeiten. Ab Montag öffnet das Bürgerbüro schon um 7 Uhr."
REPEAT = "Zum Wiederholen drücken Sie die Stern-Taste."
STOP = "Wenn wir Sie nicht mehr anrufen sollen, drücken Sie die 8."
PERSON_KEY = "Für einen Menschen: die 0."
AS_SMS = "Wenn Sie das als SMS bekommen möchten, drücken Sie die 2."
GOODBYE = "Vielen Dank fürs Zuhören. Auf Wiederhören!"
GONE = (
    "Hier ist das Bürgertelefon der Stadt Kaiserslautern. Die Meldung, wegen der wir anrufen, ist nicht mehr aktuell."
)
# The demo's hotline number, digit by digit.
HOTLINE = "0 6 9, 9 0 0 0, 9 0 0 0"
ON_THE_HOTLINE = (
    f"Sie können die Neuigkeiten jederzeit im Bürgertelefon hören, unter {HOTLINE}. Noch einmal: {HOTLINE}."
)


@pytest.fixture
def placed(session, clock) -> tuple[int, str]:
    """A landline called with a new announcement: the worker placed the call."""
    subscribe(session, clock())
    return news_call(session, clock(), create_announcement(session, clock()))


def targets(phone: Caller) -> list[str]:
    """Where the call goes on from its last answer: the Gather's action, a Redirect (none: it ended)."""
    found = [gather.get("action", "") for gather in phone.element.iter("Gather")]
    return found + [(redirect.text or "") for redirect in phone.element.iter("Redirect")]


def answered(signer, placed, answered_by: str = "person", number: str = LANDLINE) -> Caller:
    outbox_id, sid = placed
    phone = Caller(signer, number).answer_news_call(outbox_id, sid, answered_by)
    assert answered_by == "fax" or problems(phone.element) == [], problems(phone.element)
    return phone


# A person answers ---------------------------------------------------------------------------------


def test_a_person_hears_who_calls_and_why_the_news_and_the_keys(signer, session, placed) -> None:
    phone = answered(signer, placed)
    assert phone.heard == f"{GREETING} {ITEM} {REPEAT} {STOP} {PERSON_KEY}"
    assert "drücken Sie die 2" not in phone.heard  # a landline gets no SMS
    row = call(session, placed[0])
    assert (row.status, row.call_outcome, row.recipient) == (DELIVERED, PERSON, LANDLINE)  # settled, still on
    assert Caller(phone.signer, LANDLINE).news_call_ends(*placed, "completed").status_code == 204
    row = call(session, placed[0])
    assert (row.status, row.call_outcome, row.recipient) == (DELIVERED, PERSON, "")  # over: the number forgotten


def test_an_answered_call_is_noted_before_a_word_is_said_and_never_placed_again(signer, session, placed) -> None:
    answered(signer, placed)
    assert call(session, placed[0]).status == DELIVERED
    again = answered(signer, placed)  # the provider asks once more: the same news, nothing changes
    assert again.heard.startswith(f"{GREETING} {ITEM}")
    for status in ("completed", "busy", "no-answer", "failed"):
        assert Caller(signer, LANDLINE).news_call_ends(*placed, status).status_code == 204
    row = call(session, placed[0])
    assert (row.status, row.call_outcome, row.attempts) == (DELIVERED, PERSON, 1)


def test_unknown_machine_detection_counts_as_a_person(signer, session, placed) -> None:
    phone = answered(signer, placed, "unknown")
    assert phone.heard.startswith(f"{GREETING} {ITEM}") and phone.gather is not None
    assert call(session, placed[0]).call_outcome == PERSON


def test_star_repeats_the_news_slower_already_the_first_time(signer, placed) -> None:
    phone = answered(signer, placed)
    phone.press("*")
    assert phone.heard == f"{GREETING} {ITEM} {REPEAT} {STOP} {PERSON_KEY}" and phone.rates == {SLOW_RATE}
    assert problems(phone.element) == []


def test_silence_says_the_keys_once_more_then_a_warm_goodbye(signer, placed) -> None:
    phone = answered(signer, placed).silence()
    assert phone.heard == f"{REPEAT} {STOP} {PERSON_KEY}" and not phone.hung_up
    phone.silence()
    assert phone.heard == GOODBYE and phone.hung_up
    assert problems(phone.element) == []


def test_hash_ends_the_call_with_a_goodbye(signer, placed) -> None:
    phone = answered(signer, placed).press("#")
    assert phone.heard == GOODBYE and phone.hung_up


@pytest.mark.parametrize("key", ["5", "2"])  # 2 sends an SMS, but only to a mobile
def test_a_key_not_offered_says_so_and_the_keys_again_never_a_person_by_itself(signer, placed, key) -> None:
    told = f"Die Taste {key} ist hier nicht belegt."
    phone = answered(signer, placed)
    for _ in range(MOST_ERRORS - 1):
        phone.press(key)
        assert phone.heard == f"{told} {REPEAT} {STOP} {PERSON_KEY}"
        assert phone.dialled is None and problems(phone.element) == []
    phone.press(key)  # the third in a row: a warm goodbye, with where to hear the news
    assert phone.heard == f"{told} {ON_THE_HOTLINE} {GOODBYE}"
    assert phone.hung_up and phone.dialled is None and problems(phone.element) == []


@pytest.mark.parametrize("noise", [{"Digits": "5"}, {"SpeechResult": "und nun das Wetter für morgen"}])
def test_endless_noise_ends_the_call_warmly_at_the_third_unknown_input(signer, placed, noise) -> None:
    """A TV, a radio or a mailbox's long announcement taken for a person: unknown keys or words in
    a row end the call, never with a person put through by itself."""
    phone = answered(signer, placed)
    for _ in range(MOST_ERRORS):
        assert not phone.hung_up
        phone._post(urljoin(phone.url, phone.gather.get("action")), noise)
        assert problems(phone.element) == [] and phone.dialled is None
    assert phone.hung_up and phone.heard.endswith(f"{ON_THE_HOTLINE} {GOODBYE}")


def test_a_key_that_works_starts_the_count_of_unknown_inputs_again(signer, placed) -> None:
    phone = answered(signer, placed)
    for key in ("5", "5", "*", "5", "5"):
        phone.press(key)
    assert not phone.hung_up and phone.heard.endswith(f"{REPEAT} {STOP} {PERSON_KEY}")


@pytest.mark.parametrize("key", ["*", "#8"])
def test_a_news_call_answers_only_so_many_steps_then_says_goodbye(signer, placed, key) -> None:
    """Noise the menu takes for keys (the star again and again, or the stop question and back)
    cannot keep the line open: one item allows STEPS_PER_ITEM + STEPS_BESIDES answers."""
    phone = answered(signer, placed)
    most = STEPS_PER_ITEM + STEPS_BESIDES
    keys = "8#" * most if key == "#8" else key * (most + 1)
    for pressed in keys[:most]:
        phone.press(pressed)
        assert not phone.hung_up and problems(phone.element) == []
    phone.press(keys[most])
    assert phone.heard == f"{ON_THE_HOTLINE} {GOODBYE}" and phone.hung_up


def test_a_summary_allows_more_steps_than_a_single_item(signer, session, clock) -> None:
    placed = summary(session, clock)  # four items
    phone = answered(signer, placed)
    for key in "111" + "*" * 8:  # all four heard, the last one again and again
        phone.press(key)
        assert not phone.hung_up
    assert phone.heard.startswith("Meldung 4 von 4")


def test_help_says_what_the_call_is_for(signer, placed) -> None:
    phone = answered(signer, placed).say("Hilfe")
    assert phone.heard.startswith("Das ist ein Anruf der Stadt mit ihren Neuigkeiten.")


# An answering machine, a fax ------------------------------------------------------------------------


def test_an_answering_machine_gets_a_short_message_with_the_hotline_number_slowly(signer, session, placed) -> None:
    phone = answered(signer, placed, "machine")
    assert phone.heard == (
        f"{GREETING} Neue Sprechzeiten. Sie können die Neuigkeiten jederzeit im Bürgertelefon hören, unter {HOTLINE}. "
        f"Noch einmal: {HOTLINE}. Auf Wiederhören!"
    )
    assert phone.gather is None and phone.hung_up
    number = [say for say in phone.element.iter("Say") if HOTLINE in "".join(say.itertext())]
    assert {prosody.get("rate") for say in number for prosody in say.iter("prosody")} == {SLOW_RATE}
    row = call(session, placed[0])
    assert (row.status, row.call_outcome) == (DELIVERED, MACHINE)


def test_a_resident_who_wants_to_be_reached_in_person_is_called_again_after_the_machine(
    signer, session, clock, placed
) -> None:
    news_calls.keep_trying_after_machine(session, LANDLINE, True)
    session.commit()
    answered(signer, placed, "machine")
    assert (call(session, placed[0]).status, call(session, placed[0]).call_outcome) == (SENT, MACHINE)
    assert Caller(signer, LANDLINE).news_call_ends(*placed, "completed", "machine").status_code == 204
    row = call(session, placed[0])
    assert (row.status, row.recipient) == (QUEUED, LANDLINE)
    assert row.next_attempt_at == datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN)  # the next morning window


def test_a_fax_is_hung_up_on_and_the_call_tried_again_as_failed(signer, session, placed) -> None:
    phone = answered(signer, placed, "fax")
    assert phone.hung_up and phone.heard == ""
    assert call(session, placed[0]).status == SENT  # not answered by anybody
    Caller(signer, LANDLINE).news_call_ends(*placed, "completed", "fax")
    row = call(session, placed[0])
    assert (row.status, row.call_outcome) == (QUEUED, CALL_FAILED)


# A weekly summary ------------------------------------------------------------------------------------


def summary(session, clock, number: str = LANDLINE) -> tuple[int, str]:
    """Two announcements this week, and the Tuesday summary to a weekly subscriber, placed."""
    subscribe(session, clock(), number, choices=Choices(WEEKLY, 1))
    create_announcement(session, clock(), title="Neue Sprechzeiten", days_ago=2, english=False)
    create_announcement(session, clock(), title="Freies Netz im Park", body="Ab heute im Volkspark.", english=False)
    news = list(session.scalars(select(Announcement)))
    news_calls.queue_summaries(session, queries.town_profile(session), news, clock())
    session.commit()
    (row,) = calls_to(session, number)
    return row.id, place(session, row)


def test_a_weekly_summary_says_how_many_and_reads_one_after_the_other(signer, session, clock) -> None:
    placed = summary(session, clock)
    phone = answered(signer, placed)
    # These two and the demo's news of 1 and 6 days ago: the week's four, newest first.
    assert phone.heard.startswith(
        "Hier ist das Bürgertelefon der Stadt Kaiserslautern mit 4 neuen Meldungen. "
        "Meldung 1 von 4, vom 24. November. Freies Netz im Park. Ab heute im Volkspark. "
        "Für die nächste Meldung drücken Sie die 1."
    )
    phone.press("1")
    assert phone.heard.startswith("Meldung 2 von 4, vom 23. November. Das Bürgertelefon ist da.")
    phone.press("1")
    assert phone.heard.startswith("Meldung 3 von 4, vom 22. November. Neue Sprechzeiten.")
    phone.press("1")
    assert phone.heard.startswith("Meldung 4 von 4, vom 18. November.")
    assert "nächste Meldung" not in phone.heard
    phone.press("1")
    assert phone.heard == f"Das war die letzte Meldung. {REPEAT} {STOP} {PERSON_KEY}"


def test_news_that_expired_since_the_call_was_queued_is_left_out(signer, session, clock, placed) -> None:
    item = session.scalar(select(Announcement).order_by(Announcement.id.desc()))
    item.expires_at = clock() - timedelta(minutes=1)
    session.commit()
    phone = answered(signer, placed)
    assert phone.heard == f"{GONE} Auf Wiederhören!" and phone.hung_up


def test_a_call_that_is_no_longer_known_says_who_calls_and_goodbye(signer, session) -> None:
    phone = Caller(signer, LANDLINE).answer_news_call(4711, new_call_sid())
    assert phone.heard == f"{GONE} Auf Wiederhören!" and phone.hung_up and problems(phone.element) == []


# The keys: SMS, a person, stopping ---------------------------------------------------------------------


def test_a_mobile_can_get_the_item_as_sms_through_the_outbox(signer, session, clock) -> None:
    subscribe(session, clock(), MOBILE)
    placed = news_call(session, clock(), create_announcement(session, clock()), MOBILE)
    phone = answered(signer, placed, number=MOBILE)
    assert phone.heard.endswith(f"{ITEM} {AS_SMS} {REPEAT} {STOP} {PERSON_KEY}")
    phone.press("2")
    assert phone.heard == f"Die SMS ist unterwegs. {AS_SMS} {REPEAT} {STOP} {PERSON_KEY}"
    phone.press("2")  # once per call and item
    (sms,) = session.scalars(select(OutboundMessage).where(OutboundMessage.channel == "sms")).all()
    assert (sms.recipient, sms.body, sms.status) == (
        MOBILE,
        "Neue Sprechzeiten. Ab Montag öffnet das Bürgerbüro schon um 7 Uhr.",
        QUEUED,
    )


def test_zero_in_office_hours_puts_the_resident_through_then_says_goodbye(signer, placed) -> None:
    phone = answered(signer, placed).press("0")
    assert phone.dialled == "+496313650"
    phone.dial_ends("completed")
    assert phone.heard == GOODBYE and phone.hung_up


def test_zero_on_a_saturday_offers_the_call_back_and_hash_returns_to_the_news(signer, session, clock) -> None:
    clock.set(2026, 11, 28, 10)  # a Saturday: the city calls, the office is closed
    subscribe(session, clock())
    placed = news_call(session, clock(), create_announcement(session, clock()))
    phone = answered(signer, placed).press("0")
    assert phone.heard.startswith(
        "Gerade ist niemand im Büro, aber wir können Sie am Montag, 30. November, unter dieser Nummer zurückrufen."
    )
    assert PERSON_KEY not in phone.heard and problems(phone.element) == []
    phone.press("#")
    assert phone.heard == f"{REPEAT} {STOP} {PERSON_KEY}"
    phone.press("0").press("1")
    assert phone.heard == f"Vielen Dank. Wir rufen Sie am Montag, 30. November, zurück. {REPEAT} {STOP} {PERSON_KEY}"
    (request,) = session.scalars(select(CallbackRequest)).all()
    assert request.number == LANDLINE


def test_when_staff_do_not_answer_the_call_back_is_offered_within_the_news_call(signer, placed) -> None:
    phone = answered(signer, placed).press("0").dial_ends("no-answer")
    assert phone.heard.startswith("Leider ist gerade niemand frei. Wir können Sie am Mittwoch, 25. November,")
    phone.press("#")
    assert phone.heard == f"{REPEAT} {STOP} {PERSON_KEY}"


def test_eight_then_one_stops_the_calls_and_says_goodbye(signer, session, clock, placed) -> None:
    later = create_announcement(session, clock(), title="Noch eine Meldung")
    news_calls.queue_news(session, later, queries.town_profile(session), broadcast_id=None, now=clock())
    session.commit()
    phone = answered(signer, placed).press("8")
    assert phone.heard == (
        "Um unsere Anrufe mit Neuigkeiten zu beenden, drücken Sie die 1. "
        f"Um sie zu behalten, drücken Sie die Raute-Taste. {PERSON_KEY}"
    )
    phone.press("1")
    assert phone.heard == (
        "Wir rufen Sie nicht mehr mit Neuigkeiten an. Im Bürgertelefon können Sie die Anrufe jederzeit mit "
        f"Taste 4 wieder bestellen. {ON_THE_HOTLINE} {GOODBYE}"
    )
    assert phone.hung_up and problems(phone.element) == []
    assert session.scalar(select(CallSubscriber)) is None
    # The call still waiting went with it; this call keeps the number only until it is reported over.
    assert [row.id for row in calls_to(session, LANDLINE)] == [placed[0]]
    assert Caller(signer, LANDLINE).news_call_ends(*placed, "completed").status_code == 204
    assert calls_to(session, LANDLINE) == []


@pytest.mark.parametrize("how", ["stop", "erase"])
def test_a_call_stopped_while_it_was_being_placed_reads_no_news_when_answered(app, signer, session, clock, how) -> None:
    """The worker looked at the call once more, then the resident stopped (or erased the number),
    then the worker dialled: the call rings all the same. Answered, it says who calls and that
    the news is over, never the news of someone who said no; its end report changes nothing."""
    subscribe(session, clock())
    news_calls.queue_news(
        session, create_announcement(session, clock()), queries.town_profile(session), broadcast_id=None, now=clock()
    )
    session.commit()
    (row,) = calls_to(session, LANDLINE)
    row.status, row.attempts, row.claimed_by = SENDING, 1, "worker-1"  # claimed; about to dial
    outbox_id = row.id
    session.commit()
    if how == "stop":
        news_calls.stop(session, LANDLINE)
    else:
        privacy.erase(session, LANDLINE, asked_on="sms")
    session.commit()
    sid = new_call_sid()  # the provider's id of the call the worker placed a moment later
    phone = Resident(signer, LANDLINE).answer_try(outbox_id, sid, 1)
    assert phone.heard == f"{GONE} Auf Wiederhören!" and phone.hung_up
    assert Resident(signer, LANDLINE).try_ends(outbox_id, sid, 1, "completed") == 204
    row = call(session, outbox_id)
    assert (row.status, row.call_outcome, row.recipient) == (FAILED, STOPPED, "")


def test_hash_at_the_question_keeps_the_calls(signer, session, placed) -> None:
    phone = answered(signer, placed).press("8").press("#")
    assert phone.heard == f"Gut, wir rufen Sie weiter mit Neuigkeiten an. {REPEAT} {STOP} {PERSON_KEY}"
    assert session.scalar(select(CallSubscriber.number)) == LANDLINE


def test_saying_stop_asks_too(signer, placed) -> None:
    phone = answered(signer, placed).say("Keine Anrufe mehr bitte")
    assert phone.heard.startswith("Um unsere Anrufe mit Neuigkeiten zu beenden, drücken Sie die 1.")


# In the subscriber's language ---------------------------------------------------------------------------


def test_a_turkish_subscriber_hears_the_call_in_turkish_with_the_note_for_a_german_only_item(
    signer, session, clock
) -> None:
    subscribe(session, clock(), language="tr")
    placed = news_call(session, clock(), create_announcement(session, clock(), english=False))
    phone = Caller(signer, LANDLINE).answer_news_call(*placed)
    said = [(say.get("language"), " ".join(" ".join(say.itertext()).split())) for say in phone.element.iter("Say")]
    assert said == [
        (
            "tr-TR",
            "Burası Kaiserslautern Vatandaş Hattı, yeni bir duyurumuz var. 24 Kasım tarihli duyuru: "
            "Bu yalnızca Almanca olarak var.",
        ),
        ("de-DE", "Neue Sprechzeiten. Ab Montag öffnet das Bürgerbüro schon um 7 Uhr."),
        (
            "tr-TR",
            "Tekrar dinlemek için yıldız tuşuna basın. Sizi artık aramamamızı istiyorsanız 8 tuşuna basın. "
            "Görevliye bağlanmak için: 0.",
        ),
    ]
    assert phone.gather.get("language") == "tr-TR"


# The provider's reports on how a call ended -------------------------------------------------------------


def test_busy_is_tried_again_in_the_next_window_then_given_up_after_the_retries(signer, session, placed) -> None:
    outbox_id, sid = placed
    phone = Caller(signer, LANDLINE)
    for status, outcome in [("busy", BUSY), ("no-answer", NO_ANSWER)]:  # two retries (the town's default)
        assert phone.news_call_ends(outbox_id, sid, status).status_code == 204
        row = call(session, outbox_id)
        assert (row.status, row.call_outcome, row.provider_id) == (QUEUED, outcome, None)
        assert row.next_attempt_at == datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN)
        sid = place(session, row)
    phone.news_call_ends(outbox_id, sid, "failed")
    row = call(session, outbox_id)
    assert (row.status, row.call_outcome, row.recipient, row.attempts) == (FAILED, CALL_FAILED, "", 3)


@pytest.mark.parametrize("status", ["ringing", "in-progress", "queued", "initiated", "odd"])
def test_a_report_that_is_no_end_changes_nothing(signer, session, placed, status) -> None:
    assert Caller(signer, LANDLINE).news_call_ends(*placed, status).status_code == 204
    row = call(session, placed[0])
    assert (row.status, row.call_outcome, row.provider_id) == (SENT, None, placed[1])


def test_an_old_report_after_a_retry_changes_nothing(signer, session, placed) -> None:
    outbox_id, first = placed
    phone = Caller(signer, LANDLINE)
    phone.news_call_ends(outbox_id, first, "busy")
    second = place(session, call(session, outbox_id))
    phone.news_call_ends(outbox_id, first, "no-answer")  # the first try's report, late and again
    row = call(session, outbox_id)
    assert (row.status, row.provider_id, row.call_outcome) == (SENT, second, BUSY)


# Only the call the city placed, this try of it, to this number -------------------------------------------


def test_the_call_is_answered_at_the_try_the_worker_named(signer, session, placed) -> None:
    phone = Resident(signer, LANDLINE).answer_try(*placed, 1)
    assert phone.heard.startswith(f"{GREETING} {ITEM}")
    assert (call(session, placed[0]).status, call(session, placed[0]).call_outcome) == (DELIVERED, PERSON)


def test_an_answer_naming_another_try_changes_nothing(signer, session, placed) -> None:
    phone = Resident(signer, LANDLINE).answer_try(*placed, 2)
    assert phone.heard == f"{GONE} Auf Wiederhören!" and phone.hung_up
    assert (call(session, placed[0]).status, call(session, placed[0]).call_outcome) == (SENT, None)


def test_a_late_report_of_the_previous_try_does_not_settle_the_next(signer, session, placed) -> None:
    """Try 1 was busy; try 2 is being placed (the worker has not written its id yet) when a late
    copy of try 1's report comes: it is about another try, and changes nothing."""
    outbox_id, first = placed
    resident = Resident(signer, LANDLINE)
    assert resident.try_ends(outbox_id, first, 1, "busy") == 204
    row = call(session, outbox_id)
    row.status, row.attempts = SENDING, row.attempts + 1  # the worker claimed try 2
    session.commit()
    assert resident.try_ends(outbox_id, first, 1, "busy") == 204
    row = call(session, outbox_id)
    assert (row.status, row.attempts, row.provider_id) == (SENDING, 2, None)


def test_a_call_waiting_in_the_queue_cannot_be_answered_by_a_call_to_the_hotline(signer, session, clock) -> None:
    """An incoming call (to the hotline, or a forged path) posted to the news call's URL is no answer."""
    subscribe(session, clock())
    news_calls.queue_news(
        session, create_announcement(session, clock()), queries.town_profile(session), broadcast_id=None, now=clock()
    )
    session.commit()
    (row,) = calls_to(session, LANDLINE)
    form = {"CallSid": new_call_sid(), "From": LANDLINE, "To": HOTLINE_NUMBER, "Direction": "inbound"}
    answer = signer.post(f"{BASE_URL}/voice/news-call?call={row.id}&try=1", form)
    assert answer.status_code == 200 and b"Hangup" in answer.data
    assert (call(session, row.id).status, call(session, row.id).provider_id) == (QUEUED, None)


@pytest.mark.parametrize(
    "form",
    [
        {"Direction": "inbound", "From": LANDLINE, "To": HOTLINE_NUMBER},  # not a call the city placed
        {"To": "+496313659999"},  # placed, but to another resident
        {"To": ""},  # no number at all
    ],
)
def test_an_answer_that_is_not_this_call_to_this_number_changes_nothing(signer, session, placed, form) -> None:
    phone = Resident(signer, LANDLINE).answer_try(*placed, 1, **form)
    assert phone.heard == f"{GONE} Auf Wiederhören!" and phone.hung_up
    assert (call(session, placed[0]).status, call(session, placed[0]).call_outcome) == (SENT, None)


@pytest.mark.parametrize("odd", ["", "0", "-1", "1.5", "abc", "٣", "１", "9" * 11, "2147483648", "1%00"])
def test_an_odd_try_names_no_call_and_changes_nothing(signer, session, placed, odd) -> None:
    phone = Resident(signer, LANDLINE).answer_try(*placed, odd)
    assert phone.heard == f"{GONE} Auf Wiederhören!" and problems(phone.element) == []
    assert Resident(signer, LANDLINE).try_ends(*placed, odd, "busy") == 204
    assert (call(session, placed[0]).status, call(session, placed[0]).call_outcome) == (SENT, None)


# Garbage and forgery ------------------------------------------------------------------------------------


def test_a_late_report_about_an_erased_sms_never_settles_a_call_that_came_after_it(signer, session, clock) -> None:
    """The newest outbox row, an SMS, goes with its number's erasure (LÖSCHEN JA); a news call queued
    next must not take its id (SQLite would give it the deleted last one), or the SMS's delivery
    report, which Twilio sends to /sms/status?outbox=<id> minutes later, marks the call delivered
    before it ever rang."""
    subscribe(session, clock())
    outbox.enqueue(session, recipient=MOBILE, body="Die Meldung als SMS", key="sms-1", now=clock())
    session.commit()
    sms = session.scalar(select(OutboundMessage).where(OutboundMessage.recipient == MOBILE))
    sms_id, sms_sid = sms.id, "SM" + "5" * 32
    sms.status, sms.provider_id = SENT, sms_sid
    session.commit()
    privacy.erase(session, MOBILE, asked_on="sms")  # LÖSCHEN JA from the mobile
    session.commit()
    news_calls.queue_news(
        session, create_announcement(session, clock()), queries.town_profile(session), broadcast_id=None, now=clock()
    )
    session.commit()
    (row,) = calls_to(session, LANDLINE)
    assert row.id != sms_id  # an outbox id is never used again
    report = {"MessageSid": sms_sid, "MessageStatus": "delivered", "To": MOBILE}
    assert signer.post(f"{BASE_URL}/sms/status?outbox={sms_id}", report).status_code == 204
    assert (call(session, row.id).status, call(session, row.id).provider_id) == (QUEUED, None)


def test_an_sms_delivery_report_about_a_call_changes_nothing(signer, session, placed) -> None:
    report = {"MessageSid": placed[1], "MessageStatus": "delivered", "To": LANDLINE}
    assert signer.post(f"{BASE_URL}/sms/status?outbox={placed[0]}", report).status_code == 204
    assert (call(session, placed[0]).status, call(session, placed[0]).call_outcome) == (SENT, None)


@pytest.mark.parametrize("url", ["/voice/news-call?call=1", "/voice/news-call/status?call=1"])
def test_unsigned_requests_are_refused(client, session, placed, url) -> None:
    response = client.post(url, data={"CallSid": placed[1], "CallStatus": "busy", "AnsweredBy": "human"})
    assert response.status_code == 403
    assert call(session, placed[0]).status == SENT


ODD_IDS = ["", "abc", "-1", "0", "1.5", "١", "9" * 11, "2147483648", "1%00", "1 OR 1=1"]


@pytest.mark.parametrize("odd", ODD_IDS)
def test_an_odd_call_id_gets_spoken_twiml_and_changes_nothing(signer, session, placed, odd) -> None:
    phone = Caller(signer, LANDLINE).answer_news_call(odd, placed[1])
    assert phone.heard == f"{GONE} Auf Wiederhören!" and problems(phone.element) == []
    assert Caller(signer, LANDLINE).news_call_ends(odd, placed[1], "busy").status_code == 204
    assert call(session, placed[0]).status == SENT


@pytest.mark.parametrize("sid", ["", "CA" + "x" * 5000, "\x00"])
def test_an_odd_provider_call_id_changes_nothing(signer, session, placed, sid) -> None:
    phone = Caller(signer, LANDLINE).answer_news_call(placed[0], sid)
    assert phone.heard == f"{GONE} Auf Wiederhören!"
    assert Caller(signer, LANDLINE).news_call_ends(placed[0], sid, "busy").status_code == 204
    assert call(session, placed[0]).status == SENT


def test_an_answer_for_another_call_than_the_one_placed_changes_nothing(signer, session, placed) -> None:
    phone = Caller(signer, LANDLINE).answer_news_call(placed[0], new_call_sid())
    assert phone.heard == f"{GONE} Auf Wiederhören!"
    assert call(session, placed[0]).status == SENT


@pytest.mark.parametrize("garbage", [{"Digits": "🙂"}, {"Digits": "9" * 40}, {"SpeechResult": "x" * 5000}])
def test_garbage_at_the_news_gets_the_keys_again(signer, placed, garbage) -> None:
    phone = answered(signer, placed)
    phone._post(urljoin(phone.url, phone.gather.get("action")), garbage)
    assert phone.heard.endswith(f"{REPEAT} {STOP} {PERSON_KEY}") and problems(phone.element) == []


# Every key, every word at every menu of the news call ----------------------------------------------


@pytest.mark.parametrize("key", list("0123456789*#"))
def test_every_key_at_every_menu_of_a_summary_call_gives_a_sound_answer_within_the_call(
    signer, session, clock, key
) -> None:
    """On a mobile (so that 2 sends an SMS) with a weekly summary (so that 1 goes on): each key at
    the news, the question to stop and the call back, never the hotline's menus."""
    clock.set(2026, 11, 24, 20)  # after office hours: 0 brings the call back's offer, not a put-through
    placed = summary(session, clock, MOBILE)
    for path in ([], ["8"], ["0"]):
        phone = answered(signer, placed, number=MOBILE)
        for step in path:
            phone.press(step)
        at = urlsplit(urljoin(phone.url, phone.gather.get("action"))).path
        phone.press(key)
        assert problems(phone.element) == [], (path, key, problems(phone.element))
        went = {urlsplit(urljoin(phone.url, target)).path for target in targets(phone)}
        assert went <= {"/voice/call-news", "/voice/calls-stop", "/voice/call-callback"}, (at, key, went)
