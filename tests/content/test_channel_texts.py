"""What an announcement or a project says as SMS: the same words on every path that sends it."""

from __future__ import annotations

from sqlalchemy import select

from content import channel_texts, snapshot
from content.models import Announcement, OutboundMessage
from content.sms_text import fits

STAFF_SMS = "Neu: Digital-Sprechstunde jeden ersten Mittwoch im Rathaus, 14-17 Uhr. Info 0631 3650."


def test_staff_sms_version_is_sent_as_written_else_title_and_text() -> None:
    written = {"title": "Neue Zeiten", "body": "Ab Montag „früher“ – von 8 bis 12 Uhr", "sms": ""}
    assert (
        channel_texts.announcement_sms({"de": written}, "de", "de")
        == 'Neue Zeiten. Ab Montag "früher" - von 8 bis 12 Uhr.'
    )
    own = {**written, "sms": "Ab Montag früher offen."}
    assert channel_texts.announcement_sms({"de": own}, "en", "de") == "Ab Montag früher offen."
    assert channel_texts.announcement_sms({}, "de", "de") is None


def test_the_spoken_version_is_staffs_own_or_the_fields_as_sentences() -> None:
    written = {"title": "Neue Zeiten", "body": "Mehr unter https://example.org ab Montag"}
    assert channel_texts.spoken(written, "title", "body") == "Neue Zeiten. Mehr unter ab Montag."
    assert channel_texts.spoken({**written, "spoken": "Ab Montag neu"}, "title", "body") == "Ab Montag neu."


def test_a_project_as_sms_names_number_status_latest_note_and_fits_two_messages(app) -> None:
    with app.app_context():
        project = snapshot.current().projects[1]
    text = channel_texts.project_sms(project, "de", "de")
    assert text.startswith("Projekt 2: Intelligente Infrastruktur, Reallabor. Stand: in Arbeit. Neuester Stand (")
    assert fits(text)


def test_a_project_not_written_in_the_readers_language_says_so_first() -> None:
    from datetime import date

    from content.snapshot import RoadmapProject, UpdateNote

    project = RoadmapProject(
        4,
        "education",
        "planned",
        {"de": {"title": "Digitales Lernen", "summary": "Lehrkräfte teilen Ideen."}},
        UpdateNote(date(2026, 11, 20), {"de": {"text": "Der erste Workshop war voll."}}),
    )
    assert channel_texts.project_sms(project, "en", "de") == (
        "Only in German: Project 4: Digitales Lernen. Status: planned. "
        "Latest (Nov 20, 2026): Der erste Workshop war voll. Lehrkräfte teilen Ideen."
    )


def _write_sms_version(session, title: str) -> None:
    item = session.scalar(select(Announcement).where(Announcement.texts["de"]["title"].as_string() == title))
    item.texts = {**item.texts, "de": {**item.texts["de"], "sms": STAFF_SMS}}
    session.commit()


def test_neu_with_a_number_answers_with_the_sms_version_staff_wrote(texter, session) -> None:
    _write_sms_version(session, "Digital-Sprechstunde im Rathaus")
    reply = texter.send("NEU 2")
    assert reply.endswith(": " + STAFF_SMS)


def test_the_phones_send_me_this_as_sms_sends_the_same_words_as_neu(texter, caller, session) -> None:
    _write_sms_version(session, "Digital-Sprechstunde im Rathaus")
    caller.call().press("1").press("1").press("2")
    session.expire_all()
    (sent,) = session.scalars(select(OutboundMessage)).all()
    assert sent.body == STAFF_SMS
    assert texter.send("NEU 2").endswith(": " + sent.body)


def test_neu_sends_a_long_sms_version_whole_rather_than_cut_for_the_date(texter, session) -> None:
    long_sms = "Sprechstunde im Rathaus. " * 12  # 300 characters: two messages without the date
    item = session.scalar(
        select(Announcement).where(Announcement.texts["de"]["title"].as_string() == "Digital-Sprechstunde im Rathaus")
    )
    item.texts = {**item.texts, "de": {**item.texts["de"], "sms": long_sms.strip()}}
    session.commit()
    assert texter.send("NEU 2") == long_sms.strip()


def test_a_sentence_in_another_script_keeps_its_own_end() -> None:
    from content.texts import sentence

    assert sentence("هل لديك سؤال؟") == "هل لديك سؤال؟"
    assert sentence("Neue Zeiten") == "Neue Zeiten."
