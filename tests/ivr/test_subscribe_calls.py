"""Key 4: any phone can ask to be called with the news: how often, on which day, when, then the
consent in the words the caller heard. Those called already hear their settings and can change
them, choose what the answering machine means, hear what is kept, erase it, or stop the calls."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from sqlalchemy import select

from content import phone, queries
from content.models import AFTERNOON, EVERY_ITEM, MORNING, WEEKLY, CallSubscriber, Subscriber
from content.news_calls import Choices
from tests.factories import create_announcement
from tests.ivr.calling import LANDLINE, MOBILE, calls_to, news_call, subscribe
from tests.twilio_fake import WITHHELD, Caller, problems

PURPOSE = (
    "Hier bekommen Sie Neuigkeiten per SMS oder als Anruf, "
    "und Sie hören oder löschen, was wir zu Ihrer Nummer speichern."
)
# The same for a landline, where only the calls are offered.
LANDLINE_PURPOSE = (
    "Hier bekommen Sie Neuigkeiten als Anruf, und Sie hören oder löschen, was wir zu Ihrer Nummer speichern."
)
CALLS_OFFER = "Für Neuigkeiten als Anruf drücken Sie die {}."
HOW_OFTEN = "Wie oft sollen wir anrufen? Bei jeder neuen Meldung: die 1. Einmal pro Woche: die 2."
WHICH_DAY = (
    "An welchem Tag? Montag: die 1. Dienstag: die 2. Mittwoch: die 3. "
    "Donnerstag: die 4. Freitag: die 5. Samstag: die 6."
)
WHEN = "Zu welcher Tageszeit? Vormittags von 9 bis 12 Uhr: die 1. Nachmittags von 15 bis 18 Uhr: die 2."
# The consent after what was chosen: what the number is kept for, how to end it, the question.
KEPT_AND_STOP = (
    "Ihre Nummer speichern wir nur dafür. Beenden können Sie das jederzeit im Hauptmenü mit der 4 "
    "oder während eines Anrufs mit der 8. Wenn Sie einverstanden sind, drücken Sie die 1."
)
BACK = "Zurück geht es mit der Raute-Taste."
THANKS = "Vielen Dank, das machen wir. Für Aktuelles aus der Stadt drücken Sie die 1."
PERSON_KEY = "Für einen Menschen: die 0."
# A Kaiserslautern landline whose resident listens in Turkish (chosen with key 9, then 4).
TURKISH_SPEAKER = "+496313657777"


def subscriber(session) -> CallSubscriber | None:
    session.expire_all()
    return session.scalar(select(CallSubscriber))


def settings(found: CallSubscriber) -> tuple[str, int | None, str]:
    return found.frequency, found.weekday, found.window


def walk(caller: Caller, keys: str) -> Caller:
    """Press keys, checking each answer as a caller would suffer it."""
    for key in keys:
        caller.press(key)
        assert problems(caller.element) == [], (key, problems(caller.element))
    return caller


# Subscribing ---------------------------------------------------------------------------------------


def test_a_landline_caller_subscribes_with_the_words_they_heard_as_consent(signer, session, clock) -> None:
    landline = Caller(signer, LANDLINE).call().press("4")
    assert landline.heard.startswith(f"{LANDLINE_PURPOSE} {CALLS_OFFER.format(1)}")
    walk(landline, "1")
    assert landline.heard == f"{HOW_OFTEN} {PERSON_KEY}"
    walk(landline, "1")
    assert landline.heard == f"{WHEN} {PERSON_KEY}"
    walk(landline, "1")
    consent = f"Wir rufen Sie bei jeder neuen Meldung an, vormittags von 9 bis 12 Uhr. {KEPT_AND_STOP}"
    assert landline.heard == f"{consent} {BACK} {PERSON_KEY}"
    assert subscriber(session) is None  # nothing before the 1
    walk(landline, "1")
    assert landline.heard.startswith(THANKS)
    found = subscriber(session)
    assert (found.number, found.language, settings(found)) == (LANDLINE, "de", (EVERY_ITEM, None, MORNING))
    assert (found.consent_channel, found.consent_at, found.consent_wording) == ("phone", clock(), consent)
    assert found.machine_is_enough


def test_a_weekly_call_on_a_chosen_day_in_the_afternoon(signer, session) -> None:
    landline = walk(Caller(signer, LANDLINE).call(), "412")
    assert landline.heard == f"{WHICH_DAY} {PERSON_KEY}"
    walk(landline, "42")
    consent = "Wir rufen Sie jeden Donnerstag nachmittags von 15 bis 18 Uhr mit den Meldungen der Woche an."
    assert landline.heard.startswith(consent)
    walk(landline, "1")
    found = subscriber(session)
    assert settings(found) == (WEEKLY, 3, AFTERNOON) and found.consent_wording.startswith(consent)


def test_the_words_work_as_well_as_the_keys(signer, session) -> None:
    landline = Caller(signer, LANDLINE).call().press("4").say("anrufen")
    for said in ("einmal pro Woche", "Samstag", "nachmittags", "ja"):
        landline.say(said)
    assert landline.heard.startswith("Vielen Dank, das machen wir.")
    assert settings(subscriber(session)) == (WEEKLY, 5, AFTERNOON)


def test_a_mobile_caller_finds_the_calls_beside_the_sms_and_gets_no_sms_subscription(signer, session) -> None:
    mobile = Caller(signer, MOBILE).call().press("4")
    assert "Wenn Sie einverstanden sind, drücken Sie die 1." in mobile.heard  # the SMS stay on 1
    assert CALLS_OFFER.format(4) in mobile.heard  # after the keys habits know
    walk(mobile, "4121")
    assert mobile.heard.startswith(THANKS)
    assert subscriber(session).number == MOBILE and session.scalar(select(Subscriber)) is None


def test_hash_goes_back_one_question_at_a_time(signer, session) -> None:
    landline = walk(Caller(signer, LANDLINE).call(), "4124")  # weekly, Thursday
    walk(landline, "#")
    assert landline.heard.startswith(WHICH_DAY)
    walk(landline, "3")  # Wednesday
    assert landline.heard.startswith(WHEN)
    walk(landline, "2#")
    assert landline.heard.startswith(WHEN)
    walk(landline, "1#")
    assert landline.heard.startswith(WHEN)
    walk(landline, "#")
    assert landline.heard.startswith(WHICH_DAY)
    walk(landline, "#")
    assert landline.heard.startswith(HOW_OFTEN)
    walk(landline, "#")
    assert landline.heard.startswith(f"{LANDLINE_PURPOSE} {CALLS_OFFER.format(1)}")
    assert subscriber(session) is None


def test_a_turkish_caller_consents_in_turkish(signer, session) -> None:
    turkish = walk(Caller(signer, TURKISH_SPEAKER).call(), "94")  # the language menu, then Türkçe
    walk(turkish, "4111")
    assert "Numaranızı yalnızca bunun için saklıyoruz." in turkish.heard
    walk(turkish, "1")
    found = subscriber(session)
    assert found.language == "tr"
    assert found.consent_wording.startswith("Sizi her yeni duyuruda öğleden önce saat 9 ile 12 arası arıyoruz.")


def test_a_withheld_number_hears_it_cannot_be_called(signer, session) -> None:
    withheld = Caller(signer, WITHHELD).call().press("4")
    assert "weder SMS schicken noch Sie mit Neuigkeiten anrufen" in withheld.heard
    withheld._post(urljoin(withheld.url, "/voice/subscribe-calls?calls=em"), {"Digits": "1"})
    assert "weder SMS schicken noch Sie mit Neuigkeiten anrufen" in withheld.heard
    assert subscriber(session) is None


@pytest.mark.parametrize("calls", ["", "e", "w3", "x"])
def test_a_consent_without_the_answers_before_it_asks_them(signer, session, calls) -> None:
    landline = Caller(signer, LANDLINE)
    landline._post(urljoin(landline.url, f"/voice/subscribe-calls?calls={calls}"), {"Digits": "1"})
    assert landline.heard.startswith(HOW_OFTEN) and problems(landline.element) == []
    assert subscriber(session) is None


# Those called already ---------------------------------------------------------------------------------


def test_a_resident_called_already_hears_the_settings_and_can_change_them(signer, session, clock) -> None:
    subscribe(session, clock())
    landline = Caller(signer, LANDLINE).call().press("4")
    assert landline.heard.startswith(
        f"{PURPOSE} Wir rufen Sie bei jeder neuen Meldung an, vormittags von 9 bis 12 Uhr. "
        "Um das zu ändern, drücken Sie die 1. Für Ihren Anrufbeantworter drücken Sie die 2. "
        "Was wir zu Ihrer Nummer speichern, hören Sie mit der 3. "
        "Um alles zu löschen, was wir zu Ihrer Nummer speichern, drücken Sie die 4. "
        "Wenn wir Sie nicht mehr anrufen sollen, drücken Sie die 5."
    )
    first = subscriber(session).id
    walk(landline, "126")  # weekly, Saturday
    walk(landline, "2")
    assert landline.heard.startswith("Wir rufen Sie jeden Samstag nachmittags")
    walk(landline, "1")
    found = subscriber(session)
    assert (found.id, settings(found)) == (first, (WEEKLY, 5, AFTERNOON))
    assert found.consent_wording.startswith("Wir rufen Sie jeden Samstag")


def test_star_repeats_the_settings_too(signer, session, clock) -> None:
    subscribe(session, clock(), choices=Choices(WEEKLY, 0, AFTERNOON))
    landline = Caller(signer, LANDLINE).call().press("4").press("*")
    assert "Wir rufen Sie jeden Montag nachmittags von 15 bis 18 Uhr mit den Meldungen der Woche an." in landline.heard


def test_the_answering_machine_setting(signer, session, clock) -> None:
    subscribe(session, clock())
    landline = walk(Caller(signer, LANDLINE).call(), "42")
    assert landline.heard.startswith(
        "Nimmt Ihr Anrufbeantworter unseren Anruf an, sprechen wir eine kurze Nachricht darauf und rufen nicht "
        "noch einmal an. Wenn Ihnen eine Nachricht auf dem Anrufbeantworter genügt, drücken Sie die 1. "
        "Wenn wir es noch einmal versuchen sollen, bis wir Sie persönlich erreichen, drücken Sie die 2."
    )
    walk(landline, "2")
    assert landline.heard.startswith("Vielen Dank, das ist gespeichert. Für Aktuelles")
    assert not subscriber(session).machine_is_enough
    walk(landline, "42")
    assert landline.heard.startswith("Nimmt Ihr Anrufbeantworter unseren Anruf an, sprechen wir eine kurze")
    assert "später noch einmal an, um Sie persönlich zu erreichen." in landline.heard
    walk(landline, "1")
    assert subscriber(session).machine_is_enough


def test_stopping_comes_last_and_asks_first(signer, session, clock) -> None:
    subscribe(session, clock())
    news_call(session, clock(), create_announcement(session, clock()))
    later = create_announcement(session, clock(), title="Noch eine")
    from content import news_calls

    news_calls.queue_news(session, later, queries.town_profile(session), broadcast_id=None, now=clock())
    session.commit()
    landline = walk(Caller(signer, LANDLINE).call(), "45#")
    assert landline.heard.startswith("Gut, wir rufen Sie weiter mit Neuigkeiten an. Für Aktuelles")
    assert subscriber(session) is not None
    walk(landline, "451")
    assert landline.heard.startswith(
        "Wir rufen Sie nicht mehr mit Neuigkeiten an. Im Bürgertelefon können Sie die Anrufe jederzeit mit Taste 4 "
        "wieder bestellen. Für Aktuelles"
    )
    assert subscriber(session) is None
    assert [row.status for row in calls_to(session, LANDLINE)] == ["sent"]  # the one ringing now is not undone


# What is kept, and erasing it ------------------------------------------------------------------------


def test_what_we_keep_names_the_calls(signer, session, clock) -> None:
    subscribe(session, clock())
    landline = walk(Caller(signer, LANDLINE).call(), "43")
    assert landline.heard.startswith("Wir speichern Ihre Nummer, weil wir Sie mit Neuigkeiten anrufen.")


def test_erasing_by_phone_ends_the_calls_and_forgets_the_number(signer, session, clock) -> None:
    subscribe(session, clock())
    news_call(session, clock(), create_announcement(session, clock()))
    landline = walk(Caller(signer, LANDLINE).call(), "44")
    assert landline.heard.startswith("Wir speichern Ihre Nummer, weil wir Sie mit Neuigkeiten anrufen.")
    assert "Um alles zu löschen, drücken Sie die 1." in landline.heard
    walk(landline, "1")
    assert landline.heard.startswith("Erledigt: Wir haben Ihre Nummer und alles, was dazu gehört, gelöscht.")
    assert subscriber(session) is None and calls_to(session, LANDLINE) == []


def test_after_subscribing_the_call_comes_in_the_chosen_language_and_window(signer, session, clock) -> None:
    walk(Caller(signer, TURKISH_SPEAKER).call(), "9441121")  # Turkish, key 4, calls: each, afternoon, yes
    outbox_id, sid = news_call(session, clock(), create_announcement(session, clock()), TURKISH_SPEAKER)
    (row,) = calls_to(session, TURKISH_SPEAKER)
    assert row.window == AFTERNOON
    phone = Caller(signer, TURKISH_SPEAKER).answer_news_call(outbox_id, sid)
    assert phone.heard.startswith("Burası Kaiserslautern Vatandaş Hattı, yeni bir duyurumuz var.")


# Only numbers the city may call at normal cost, in its own country ---------------------------------------

PREMIUM = "+499001234567"  # a German 0900 number: the caller's id is easily forged, the city would pay
ABROAD = "+26120221234"  # a landline in Madagascar
POLISH_MOBILE = "+48601234567"
CANNOT_CALL = "Diese Nummer können wir leider nicht mit Neuigkeiten anrufen."


@pytest.mark.parametrize(
    ("number", "called"),
    [
        (PREMIUM, False),
        (ABROAD, False),
        ("+882345678901", False),  # international networks: no country
        ("+498001234567", False),  # toll free: the city pays whatever the call
        ("+4918012345678", False),  # shared cost
        ("+4970012345678", False),  # personal numbers
        (POLISH_MOBILE, False),  # a mobile, but abroad
        (LANDLINE, True),
        (MOBILE, True),
        ("not a number", False),
    ],
)
def test_only_fixed_lines_and_mobiles_in_the_towns_own_country_can_be_called(number, called) -> None:
    assert phone.can_be_called(number, "DE") is called


def test_the_towns_country_is_the_one_of_its_hotline_number() -> None:
    assert phone.home_region("+496313651000") == "DE"
    assert phone.home_region("+4318900") == "AT"
    assert (phone.home_region(None), phone.home_region(""), phone.home_region("+882345678901")) == ("DE", "DE", "DE")
    assert phone.can_be_called("+43158058", "AT") and not phone.can_be_called("+43158058", "DE")


@pytest.mark.parametrize("number", [PREMIUM, ABROAD])
def test_key_4_says_such_a_number_cannot_be_called_and_offers_no_calls(signer, session, number) -> None:
    caller = Caller(signer, number).call().press("4")
    assert CANNOT_CALL in caller.heard and CALLS_OFFER.format(1) not in caller.heard
    walk(caller, "1111")  # keys pressed from habit, as for a landline that can be called
    assert subscriber(session) is None


def test_a_mobile_abroad_gets_the_sms_offer_without_the_calls_and_the_same_keys(signer, session) -> None:
    mobile = Caller(signer, POLISH_MOBILE).call().press("4")  # in German: the call starts in it
    assert CANNOT_CALL in mobile.heard and "drücken Sie die 4" not in mobile.heard
    assert "Wenn Sie einverstanden sind, drücken Sie die 1." in mobile.heard  # the SMS stay on 1
    mobile.press("4")
    assert mobile.heard.startswith("Die Taste 4 ist hier nicht belegt.") and subscriber(session) is None


def test_subscribing_refuses_such_a_number_however_it_got_there(signer, session) -> None:
    caller = Caller(signer, PREMIUM)
    caller._post(urljoin(caller.url, "/voice/subscribe-calls?calls=em"), {"Digits": "1"})
    assert caller.heard.startswith(CANNOT_CALL) and problems(caller.element) == []
    assert subscriber(session) is None
