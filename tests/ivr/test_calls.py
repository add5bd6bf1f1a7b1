"""Calls as a resident makes them: what they hear after each key, word or silence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from content import snapshot
from content.models import Announcement, CallerVisit, Project, Setting
from content.profile import TownProfile
from ivr.speaking import NORMAL_RATE, SLOW_RATE
from tests.conftest import written_visits
from tests.ivr.keys import TO_ENGLISH, TO_GERMAN, press
from tests.twilio_fake import Caller


def test_the_greeting_names_the_town_and_the_menu_offers_what_works(caller) -> None:
    caller.call()
    assert "Kaiserslautern" in caller.heard
    assert "Für Aktuelles aus der Stadt drücken Sie die 1" in caller.heard
    assert "Für die digitalen Projekte der Stadt drücken Sie die 2" in caller.heard
    assert "drücken Sie die 0" in caller.heard
    assert "Für Neuigkeiten per SMS oder Anruf und Ihre Daten drücken Sie die 4" in caller.heard
    assert "Zum Mitmachen oder für einen Rückruf drücken Sie die 3" in caller.heard
    assert "English: 9." in caller.heard  # each other language in brief, in its own voice
    for not_yet in ("demnächst", "bald"):  # nothing is promised that does not work yet
        assert not_yet not in caller.heard


def test_renaming_the_town_is_heard_on_the_next_call(caller, session) -> None:
    greeting = session.get(Setting, "greeting")
    greeting.value = {}
    session.get(Setting, "town").value = "Musterhausen"
    session.commit()
    caller.call()
    assert "Herzlich willkommen beim Bürgertelefon der Stadt Musterhausen" in caller.heard
    assert "Kaiserslautern" not in caller.heard


def test_news_are_played_one_at_a_time_newest_first(caller) -> None:
    caller.call().press("1")
    assert "Es gibt 3 Meldungen" in caller.heard
    assert "Meldung 1 von 3, vom 23. November" in caller.heard
    assert "Das Bürgertelefon ist da" in caller.heard
    caller.press("1")
    assert "Meldung 2 von 3" in caller.heard and "Digital-Sprechstunde" in caller.heard
    caller.press("1").press("1")
    assert "Das war die letzte Meldung" in caller.heard
    assert "Für Aktuelles aus der Stadt drücken Sie die 1" in caller.heard


def test_a_project_says_its_number_status_and_dated_latest_update(caller) -> None:
    caller.call().press("2")
    assert "Die Stadt hat 9 digitale Projekte" in caller.heard
    assert "Projekt Nummer 1: Autonomes Fahren und E-Mobilität" in caller.heard
    assert "Stand: im Probebetrieb" in caller.heard
    assert "Der neueste Stand vom 12. November:" in caller.heard
    for number in range(2, 10):
        caller.press("1")
        assert f"Projekt Nummer {number}:" in caller.heard
    assert "Einen Zwischenstand gibt es noch nicht" not in caller.heard  # project 9 has one
    caller.press("1")
    assert "Das war das letzte Projekt" in caller.heard


def test_changing_a_project_is_heard_on_the_next_call(caller, session) -> None:
    project = session.scalar(select(Project).where(Project.number == 1))
    project.texts = {**project.texts, "de": {"title": "Bürgerbus ohne Fahrer", "summary": "Neu erzählt."}}
    project.status = "done"
    session.commit()
    caller.call().press("2")
    assert "Projekt Nummer 1: Bürgerbus ohne Fahrer" in caller.heard
    assert "Stand: abgeschlossen" in caller.heard and "Neu erzählt." in caller.heard


def test_hash_goes_back_and_star_repeats_slower_the_second_time_for_the_rest_of_the_call(caller) -> None:
    caller.call().press("2").press("1")
    assert "Projekt Nummer 2" in caller.heard
    caller.press("*")
    assert "Projekt Nummer 2" in caller.heard and caller.rates == {NORMAL_RATE}
    caller.press("*")
    assert "Projekt Nummer 2" in caller.heard and caller.rates == {SLOW_RATE}
    caller.press("#")
    assert "Für Aktuelles aus der Stadt" in caller.heard and caller.rates == {SLOW_RATE}


def test_an_unused_key_is_named_and_the_menu_follows(caller) -> None:
    caller.call().press("7")
    assert caller.heard.startswith("Die Taste 7 ist hier nicht belegt.")
    assert "Für Aktuelles aus der Stadt drücken Sie die 1" in caller.heard


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("Aktuelles", "Es gibt 3 Meldungen"),
        ("Was gibt es Neues?", "Es gibt 3 Meldungen"),
        ("die Projekte bitte", "Die Stadt hat 9 digitale Projekte"),
        ("eins", "Es gibt 3 Meldungen"),
        ("2", "Die Stadt hat 9 digitale Projekte"),
        ("English", "You will now hear the citizens' line in English"),
        ("Englisch", "You will now hear the citizens' line in English"),
        ("Wiederholen", "Für Aktuelles aus der Stadt"),
        ("Mitarbeiter", "Einen Moment bitte"),
        ("Kartoffelsalat", "Das habe ich leider nicht verstanden"),
    ],
)
def test_every_main_menu_option_can_be_spoken(caller, words, expected) -> None:
    caller.call().say(words)
    assert expected in caller.heard


def test_speech_works_in_lists_too(caller) -> None:
    caller.call().say("Projekte").say("weiter")
    assert "Projekt Nummer 2" in caller.heard
    caller.say("zurück")
    assert "Für Aktuelles aus der Stadt" in caller.heard


def test_english_callers_hear_english_in_an_english_voice(caller) -> None:
    press(caller.call(), TO_ENGLISH)
    gather = caller.gather
    assert gather.get("language") == "en-GB"
    assert gather.find("Say").get("voice") == "Polly.Amy-Neural"
    caller.press("2")
    assert "Project number 1: Self-driving buses and e-mobility" in caller.heard
    assert "Status: in trial operation" in caller.heard and "Latest news from November 12:" in caller.heard
    press(caller.press("#"), TO_GERMAN)
    assert "Sie hören das Bürgertelefon jetzt auf Deutsch" in caller.heard


def test_an_item_without_a_translation_is_read_in_its_own_language_with_a_warning(caller, session, clock) -> None:
    session.add(
        Announcement(publish_at=clock() - timedelta(hours=1), texts={"de": {"title": "Nur deutsch", "body": "Text."}})
    )
    session.commit()
    press(caller.call(), [*TO_ENGLISH, "1"])
    assert "This is only available in German. Nur deutsch. Text." in caller.heard
    voices = [say.get("voice") for say in caller.gather.iter("Say")]
    assert "Polly.Vicki-Neural" in voices and "Polly.Amy-Neural" in voices


def test_silence_prompts_again_slower_then_connects_a_person_in_office_hours(caller) -> None:
    caller.call().silence()
    assert caller.heard.startswith("Ich habe nichts gehört.") and caller.rates == {SLOW_RATE}
    assert "Für Aktuelles aus der Stadt" in caller.heard
    caller.silence()
    assert "Ich habe leider wieder nichts gehört" in caller.heard
    assert caller.dialled == "+496313650"


def test_silence_twice_after_hours_offers_the_call_back_and_the_hours_and_only_then_goodbye(caller, clock) -> None:
    clock.set(2026, 11, 24, 19, 30)
    caller.call().silence().silence()
    assert caller.heard.startswith(
        "Ich habe leider wieder nichts gehört. Gerade ist niemand im Büro, aber wir können Sie am Mittwoch,"
        " 25. November, unter dieser Nummer zurückrufen. Für den Rückruf drücken Sie die 1."
    )
    assert "Sie erreichen uns Montag bis Mittwoch von 8 bis 16 Uhr, Donnerstag von 8 bis 18 Uhr" in caller.heard
    assert not caller.hung_up
    caller.silence()
    assert caller.heard == (
        "Sie können uns hier jederzeit wieder anrufen. Vielen Dank für Ihren Anruf. Auf Wiederhören!"
    )
    assert caller.hung_up


def test_silence_in_a_list_repeats_only_the_keys(caller) -> None:
    caller.call().press("1").silence()
    assert "Für die nächste Meldung drücken Sie die 1" in caller.heard
    assert "Das Bürgertelefon ist da" not in caller.heard


def test_zero_in_office_hours_says_a_sentence_then_forwards_to_staff(caller) -> None:
    caller.call().press("1").press("0")
    assert caller.heard == "Einen Moment bitte. Ich verbinde Sie mit dem Bürgerservice."
    assert caller.dialled == "+496313650"
    caller.dial_ends("completed")
    assert caller.hung_up and "Auf Wiederhören" in caller.heard


@pytest.mark.parametrize("outcome", ["busy", "no-answer", "failed"])
def test_when_nobody_answers_the_caller_is_told_and_goes_on(caller, outcome) -> None:
    caller.call().press("0").dial_ends(outcome)
    assert caller.heard.startswith("Leider ist gerade niemand frei.")
    assert caller.gather is not None and not caller.hung_up


def test_zero_after_hours_offers_a_call_back_first_and_says_the_hours_after_it(caller, clock) -> None:
    clock.set(2026, 11, 27, 13, 0)  # Friday afternoon
    caller.call().press("2").press("0")
    assert caller.dialled is None
    assert caller.heard == (
        "Gerade ist niemand im Büro, aber wir können Sie am Montag, 30. November, unter dieser Nummer zurückrufen."
        " Für den Rückruf drücken Sie die 1. Zurück geht es mit der Raute-Taste."
        " Sie erreichen uns Montag bis Mittwoch von 8 bis 16 Uhr, Donnerstag von 8 bis 18 Uhr"
        " und Freitag von 8 bis 12 Uhr."
    )
    caller.press("#")
    assert "Für Aktuelles aus der Stadt drücken Sie die 1" in caller.heard


def test_zero_on_a_public_holiday_of_rhineland_palatinate_does_not_forward(caller, clock) -> None:
    clock.set(2026, 6, 4, 10, 0)  # Corpus Christi: a Thursday, a holiday in RP but not everywhere
    caller.call().press("0")
    assert caller.dialled is None
    assert caller.heard.startswith("Gerade ist niemand im Büro, aber wir können Sie am Freitag, 5. Juni")
    assert "Heute ist Feiertag. Sie erreichen uns Montag" in caller.heard


def test_a_returning_caller_hears_what_is_new_since_the_last_call_first(caller, session, clock) -> None:
    caller.call()
    assert "wieder anrufen" not in caller.heard
    clock.now += timedelta(days=2)
    session.add(
        Announcement(
            publish_at=clock.now - timedelta(hours=3),
            texts={"de": {"title": "Neue Sprechzeiten", "body": "Ab Montag."}},
        )
    )
    session.commit()
    clock.now += timedelta(hours=1)
    caller.call()
    assert "Schön, dass Sie wieder anrufen." in caller.heard
    assert "Seit Ihrem letzten Anruf gibt es 1 neue Meldung." in caller.heard
    caller.press("1")
    assert "Neu seit Ihrem letzten Anruf: Meldung 1 von 4" in caller.heard and "Neue Sprechzeiten" in caller.heard
    caller.press("1")
    assert caller.heard.startswith("Das waren die neuen Meldungen. Jetzt kommen die älteren. Meldung 2 von 4")


def test_only_a_keyed_pseudonym_and_the_time_are_kept_of_a_caller(caller, session, app) -> None:
    caller.call()
    written_visits(app)
    visits = session.scalars(select(CallerVisit)).all()
    assert len(visits) == 1
    assert "15112345678" not in visits[0].pseudonym and len(visits[0].pseudonym) == 64
    assert visits[0].last_call_at == app.config["CLOCK"]()


def test_a_withheld_number_hears_everything_and_leaves_no_trace(signer, session, app) -> None:
    withheld = Caller(signer, number="+266696687")
    withheld.call().call()
    written_visits(app)
    assert "wieder anrufen" not in withheld.heard
    assert session.scalars(select(CallerVisit)).all() == []
    withheld.press("1")
    assert "Neu seit" not in withheld.heard and "Meldung 1 von 3" in withheld.heard


def test_expired_and_scheduled_news_are_not_played(caller, session, clock) -> None:
    now = clock()
    session.add(Announcement(publish_at=now + timedelta(days=1), texts={"de": {"title": "Morgen", "body": "x"}}))
    session.add(
        Announcement(
            publish_at=now - timedelta(days=9),
            expires_at=now - timedelta(days=1),
            texts={"de": {"title": "Vorbei", "body": "x"}},
        )
    )
    session.add(Announcement(publish_at=None, texts={"de": {"title": "Entwurf", "body": "x"}}))
    session.commit()
    caller.call().press("1")
    assert "Es gibt 3 Meldungen" in caller.heard
    assert len(snapshot.load(session, 0).public_news(now)) == 3


def test_no_news_and_no_projects_are_said_plainly(caller, session) -> None:
    for record in [*session.scalars(select(Announcement)), *session.scalars(select(Project))]:
        session.delete(record)
    session.commit()
    caller.call().press("1")
    assert caller.heard.startswith("Zurzeit gibt es keine Meldungen.")
    caller.press("2")
    assert caller.heard.startswith("Zurzeit gibt es keine Projekte zu berichten.")


def test_a_town_with_three_languages_offers_a_language_menu_without_code_changes(caller, session) -> None:
    languages = session.get(Setting, "languages")
    german, english = (entry for entry in languages.value if entry["code"] in ("de", "en"))
    languages.value = [german, english, {"code": "fr", "speech": "fr-FR", "voice": "Polly.Lea-Neural"}]
    session.commit()
    caller.call()
    # Each language is offered in brief in its own voice; French has no catalog yet, so its words
    # fall back to the English source text, with the language's own name.
    assert "English: 9. français: 9." in caller.heard
    caller.press("9")  # the caller's number suggests German: key 9 opens the menu, German keeps its key 1
    assert caller.heard.startswith("For English, press 2. For français, press 3.")
    caller.press("2")
    assert "You will now hear the citizens' line in English." in caller.heard


def test_a_town_without_a_staff_number_says_so_instead_of_dialling(caller, session) -> None:
    session.get(Setting, "staff_number").value = None
    session.commit()
    caller.call().press("0")
    assert caller.dialled is None and caller.heard.startswith("Leider kann ich Sie gerade nicht verbinden.")


def test_the_profile_defaults_give_a_working_hotline(caller, session) -> None:
    for setting in session.scalars(select(Setting)):
        session.delete(setting)
    session.commit()
    caller.call()
    assert caller.heard.startswith(f"Herzlich willkommen beim Bürgertelefon der Stadt {TownProfile().town}.")
    assert "For English" not in caller.heard


def test_the_visit_time_is_stored_in_utc(caller, session, app) -> None:
    caller.call()
    written_visits(app)
    visit = session.scalars(select(CallerVisit)).one()
    assert visit.last_call_at.tzinfo is not None and visit.last_call_at.utcoffset() == timedelta(0)
    assert visit.last_call_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_a_ninth_language_has_key_9_in_the_language_menu(caller, session) -> None:
    languages = session.get(Setting, "languages")
    languages.value = [*languages.value, {"code": "fr", "speech": "fr-FR", "voice": "Polly.Lea-Neural"}]
    session.commit()
    caller.call().press("9")  # no language suggested by the number: the language menu
    assert "For français, press 9." in caller.heard
    caller.press("9")
    assert "You will now hear the citizens' line in français." in caller.heard
