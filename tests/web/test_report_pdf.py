"""The council's PDF of the report (/staff/report.pdf): read back, it holds the period's exact
figures, "< 5" wherever a count is about fewer than five people (tables, charts, sentences), the
sentences written from the figures, the ideas and questions per project in whatever script they
came, and "Beispieldaten" on every page when demo figures are in it; the same roles as the page."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, timedelta

import pypdf

from content import usage
from content.models import QUESTION
from content.polls import cast_vote
from tests.factories import create_poll, create_submission
from tests.web.conftest import StaffMember, counted, logged_in

Q4 = "/staff/report.pdf?period=2026-q4"
DAY = date(2026, 11, 10)  # a Tuesday in the fourth quarter, two weeks before the test's today


def pages(member: StaffMember, url: str = Q4) -> list[str]:
    """The PDF's pages as text, one line per line printed (spaces run together)."""
    response = member.client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    document = pypdf.PdfReader(io.BytesIO(response.data))
    return [re.sub(r"[ \xa0\u202f]+", " ", page.extract_text()) for page in document.pages]


def page_about(texts: list[str], title: str) -> str:
    found = [text for text in texts if title in text]
    assert found, title
    return found[0]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


BUSY = (
    ("phone", usage.CALLS, "new", 2610),
    ("phone", usage.CALLS, "returning", 1600),
    ("phone", usage.REACHED, "main", 4210),
    ("phone", usage.REACHED, "news", 2000),
    ("phone", usage.REACHED, "projects", 700),
    ("phone", usage.REACHED, "person", 3),
    ("phone", usage.CALL_LANGUAGE, "de", 4200),
    ("phone", usage.CALL_LANGUAGE, "tr", 7),
    ("phone", usage.CALL_LANGUAGE, "uk", 3),
    ("sms", usage.KEYWORD, "NEU", 8),
    ("sms", usage.KEYWORD, "ПОМОЩЬ", 6),
    ("sms", usage.KEYWORD, "unknown", 2),
    ("sms", usage.SUBSCRIBERS, "sms", 40),
    ("sms", usage.SUBSCRIBERS, "call", 3),
    ("phone", usage.CALLBACK, "", 6),
    ("phone", usage.CALLBACK_DONE, "in-time", 5),
    ("phone", usage.CALLBACK_DONE, "late", 1),
)


def starting(text: str, start: str) -> list[str]:
    return [line for line in lines(text) if line.startswith(start)]


def test_the_pdf_tells_the_exact_figures_and_less_than_five_in_tables_charts_and_sentences(reader, session) -> None:
    counted(session, DAY, *BUSY)
    texts = pages(reader)
    title = lines(texts[0])
    assert title[:3] == [
        "Bericht an den Stadtrat",
        "Kaiserslautern, vom 1. Oktober 2026 bis 24. November 2026",
        "Erstellt am 24. November 2026",
    ]
    assert "Anrufe 4.210" in title and "Abonnements per Anruf (Stand: 10. November 2026) < 5" in title
    assert "SMS 16" in title  # exact: the two not understood are counted, and not told apart
    calls = page_about(texts, "Anrufe je Woche")
    assert "Vom 1. Oktober 2026 bis 24. November 2026 gingen 4.210 Anrufe ein." in lines(calls)
    assert "1.600 davon (38 %) kamen von Nummern, die schon einmal angerufen hatten." in lines(calls)
    assert "09.11.2026 2.610 1.600 4.210" in lines(calls)
    funnel = page_about(texts, "Wie weit Anrufe kommen")
    assert "Nach dem Hauptmenü ging es am häufigsten weiter zu „Aktuelles (Taste 1)“: 2.000 Anrufe." in lines(funnel)
    # Three people asked for a person: the chart's label and the table's row say "< 5", no share.
    assert starting(funnel, "Mensch (Taste 0)") == ["Mensch (Taste 0) < 5", "Mensch (Taste 0) < 5 –"]
    assert "Aktuelles (Taste 1) 2.000 48 %" in lines(funnel)
    spoken = page_about(texts, "Sprachen der Anrufe")
    assert "Die Anrufe liefen in 3 Sprachen." in lines(spoken)
    assert starting(spoken, "Ukrainisch") == ["Ukrainisch < 5", "Ukrainisch < 5"]
    assert starting(spoken, "Türkisch") == ["Türkisch 7", "Türkisch 7"]
    keywords = page_about(texts, "SMS-Stichwörter")
    # Two SMS not understood are hidden in the table; the total of all SMS is exact.
    assert "16 SMS gingen ein." in lines(keywords)
    assert "Am häufigsten wurde NEU geschickt." in lines(keywords)  # its count in the table below
    assert starting(keywords, "ПОМОЩЬ") == ["ПОМОЩЬ 6", "ПОМОЩЬ 6"]  # Cyrillic in the chart as in the table
    assert starting(keywords, "(nicht verstanden)") == ["(nicht verstanden) < 5"] * 2
    subscribers = page_about(texts, "Abonnements im Verlauf")
    # Counted each night for the day before: the day of the last figure, not "the end of the period".
    assert "Stand 10. November 2026: 40 Nummern bekamen die Neuigkeiten per SMS." in lines(subscribers)
    assert "< 5 Nummern wurden mit den Neuigkeiten angerufen." in lines(subscribers)
    assert "10.11.2026 40 < 5" in lines(subscribers)
    callbacks = page_about(texts, "Später zurückgerufen")
    assert "6 Rückrufe wurden gewünscht." in lines(callbacks)
    assert "Später zurückgerufen < 5 –" in lines(callbacks)
    # 5 of 6 done in time would tell that 1 was late: no sentence about it.
    assert "wie versprochen" not in callbacks.replace("Zurückgerufen wie versprochen", "")
    assert not any("Beispieldaten" in text for text in texts)


def test_a_sentence_never_tells_a_small_count_nor_its_share(reader, session) -> None:
    counted(
        session, DAY - timedelta(days=7), ("phone", usage.CALLS, "new", 20), ("phone", usage.CALLS, "returning", 10)
    )
    counted(
        session,
        DAY,
        ("phone", usage.CALLS, "new", 12),
        ("phone", usage.CALLS, "returning", 3),
        ("phone", usage.CALL_LANGUAGE, "de", 45),
        ("", usage.NEWS_SENT, "", 1),
        ("sms", usage.BROADCAST, "sms", 1),
        ("sms", usage.RECIPIENTS, "sms", 3),
        ("sms", usage.SEGMENTS, "", 6),
    )
    texts = pages(reader)
    calls = page_about(texts, "Anrufe je Woche")
    # Totals are exact; in the week with 3 returning calls, the 12 new ones are withheld, as the
    # total 15 would tell the 3 with them; no share of the hidden count.
    assert "Vom 1. Oktober 2026 bis 24. November 2026 gingen 45 Anrufe ein." in lines(calls)
    assert "02.11.2026 20 10 30" in lines(calls) and "09.11.2026 – < 5 15" in lines(calls)
    told = [line for line in lines(calls) if re.search(r"(?<![\d.])(3|12)(?![\d.])", line)]
    assert told == []
    assert "Die Anrufe liefen in 1 Sprache." in lines(page_about(texts, "Sprachen der Anrufe"))
    sent = page_about(texts, "Meldungen an die Abonnentinnen und Abonnenten")
    assert "1 Meldung wurde an die Abonnentinnen und Abonnenten verschickt." in lines(sent)
    assert "Die SMS kosteten geschätzt unter 0,40 €." in lines(sent)
    assert "SMS-Teile (werden berechnet) –" in lines(sent) and "0,48 €" not in sent


# Texts as residents send them: German, Cyrillic, Arabic and an emoji.
GERMAN = "Mehr Bänke am Stiftsplatz"
CYRILLIC = "Когда будет быстрый интернет в Бетценберге?"
ARABIC = "نريد إنترنت سريع في كل حي"
EMOJI = "Glasfaser auch für Vereine 👍"
ABOUT_NONE = "Wann öffnet das Bürgerbüro samstags?"


IDEAS = (GERMAN, ARABIC, EMOJI, "Mehr Parkplätze für Fahrräder", "Ein Café im Rathaus")
QUESTIONS = (CYRILLIC, "Wann kommt das Glasfaser?", "Wer baut es?", "Was kostet es?", "Wo beginnt man?")


def test_the_ideas_and_questions_stand_per_project_as_texts_in_any_script(reader, session, clock) -> None:
    for text in IDEAS:
        create_submission(session, clock(), text=text, kind="idea", project_number=9)
    for text in QUESTIONS:
        create_submission(session, clock(), text=text, kind=QUESTION, project_number=9)
    create_submission(session, clock(), text=ABOUT_NONE, kind=QUESTION)
    response = reader.client.get(Q4)
    document = pypdf.PdfReader(io.BytesIO(response.data))
    fonts = {str(font["/BaseFont"]) for page in document.pages for font in page["/Resources"]["/Font"].values()}
    assert any("Arabic" in font for font in fonts), fonts  # the Arabic text got a font that has it
    texts = pages(reader)
    ideas = page_about(texts, "Ideen und Fragen, nach Projekt")
    said = lines(ideas)
    # Per project, the ideas under "Ideen" and the questions under "Fragen".
    project = said.index("9: Schnelles Internet für alle")
    assert (
        project < said.index("Ideen") < said.index(f"• {GERMAN}") < said.index("Fragen") < said.index(f"• {CYRILLIC}")
    )
    assert said.index("Fragen") > max(said.index(f"• {text}") for text in IDEAS[3:])
    # One question about no project: fewer than five, so not printed, and said so.
    none = said.index("Nicht zu einem bestimmten Projekt")
    assert said[none + 1] == "Zu diesem Projekt gingen weniger als 5 Fragen als Text ein."
    assert ABOUT_NONE not in ideas
    # An emoji has no font among those installed: it is left out, and the text around it stays.
    assert "Glasfaser auch für Vereine" in ideas
    # The Arabic letters are all there (shaped: pypdf gives them in their joined forms and printed order).
    printed = unicodedata.normalize("NFKC", ideas)
    assert set(ARABIC.replace(" ", "")) <= set(printed)
    # Texts only: no count of people on this page (the project's number, the rule's 5 and the footer aside).
    body = ideas[: ideas.index("Bericht an den Stadtrat ·")].replace("weniger als 5", "").replace("5 oder mehr", "")
    assert re.findall(r"\d", body) == ["9"]
    taking_part = page_about(texts, "Mitmachen je Projekt")
    assert "5 Ideen gingen ein." in lines(taking_part)
    # 6 questions, 5 of them about project 9: beside the table, the total would tell the other 1.
    assert "Fragen gingen ein" not in taking_part
    assert "9: Schnelles Internet für alle 0 5 5 0" in lines(taking_part)
    assert "Nicht zu einem bestimmten Projekt 0 0 < 5 0" in " ".join(lines(taking_part))
    # The headings break between words, never inside one ("Sprachnachric / hten").
    assert "Projekt Stimmen Ideen Fragen Sprachnachrichten" in lines(taking_part)


def test_an_idea_is_printed_without_the_telephone_number_or_e_mail_address_written_into_it(
    reader, session, clock
) -> None:
    wrote = "Bänke am Weiher, am 24.11.2026 in 67657. Rückfragen: 0171 2345678 oder max.muster@example.org"
    create_submission(session, clock(), text=wrote, kind="idea", project_number=9)
    for text in IDEAS[:4]:  # lists are printed from five texts on
        create_submission(session, clock(), text=text, kind="idea", project_number=9)
    for n in range(5):
        create_submission(session, clock(), text=f"Wann? Tel. +49 (631) 365-123{n}", kind=QUESTION)
    ideas = page_about(pages(reader), "Ideen und Fragen, nach Projekt")
    said = lines(ideas)
    assert "• Bänke am Weiher, am 24.11.2026 in 67657. Rückfragen: […] oder […]" in said  # a date, a postcode stay
    assert said.count("• Wann? Tel. […]") == 5
    printed = ideas.replace(" ", "")
    assert "2345678" not in printed and "3651234" not in printed and "@" not in printed


def test_fewer_than_five_ideas_for_a_project_are_not_printed(reader, session, clock) -> None:
    for text in IDEAS[:4]:
        create_submission(session, clock(), text=text, kind="idea", project_number=9)
    ideas = lines(page_about(pages(reader), "Ideen und Fragen, nach Projekt"))
    assert "Zu diesem Projekt gingen weniger als 5 Ideen als Text ein." in ideas
    assert not any(text in line for text in IDEAS for line in ideas)


def test_the_sections_without_sentences_so_far_have_some(app, reader, session, clock) -> None:
    counted(
        session,
        DAY,
        ("phone", usage.CALLS, "new", 15),
        ("phone", usage.ENDED_IN, "news", 7),
        ("phone", usage.ENDED_IN, "main", 6),
        ("phone", usage.ENDED_IN, "person", 2),
        ("phone", usage.DURATION, "1-3", 9),
        ("phone", usage.DURATION, "under-1", 6),
        ("sms", usage.SUBSCRIBED, "sms", 6),
        ("sms", usage.SUBSCRIBED, "call", 7),
        ("sms", usage.UNSUBSCRIBED, "sms", 1),
        ("phone", usage.ERASED, "", 1),
        ("", usage.PURGED, "callback", 9),
    )
    poll = create_poll(session, clock())
    first, second, _third = poll.options
    for index in range(7):
        cast_vote(session, poll, first, voter=f"voter{index}", channel="phone", now=clock())
    cast_vote(session, poll, second, voter="texter", channel="sms", now=clock())
    session.commit()
    texts = pages(reader)
    assert "Die meisten Anrufe endeten bei „Aktuelles (Taste 1)“: 7 Anrufe." in lines(
        page_about(texts, "Wo Anrufe enden")
    )
    assert "Die meisten Anrufe dauerten 1 bis 3 Minuten: 9 Anrufe." in lines(page_about(texts, "Wie lange Anrufe"))
    started = lines(page_about(texts, "Begonnene und beendete Abonnements"))
    assert "13 Abonnements begannen im Zeitraum." in started and "< 5 Abonnements endeten." in started
    polls = lines(page_about(texts, "Wo soll die nächste Ladesäule stehen?"))
    assert "Die meisten Stimmen bekam „Am Rathaus“: 7 Stimmen." in polls
    privacy = lines(page_about(texts, "Auf Wunsch gelöscht"))
    assert "Heute sind 0 Nummern zu SMS-Abonnements gespeichert, beendete mitgezählt." in privacy
    assert "Im Zeitraum wurden < 5 Löschungen auf Wunsch erledigt." in privacy
    assert "9 Einträge wurden gelöscht, weil ihre Zeit um war." in privacy


def test_demo_figures_are_named_on_the_title_page_and_on_every_page(reader, session) -> None:
    counted(session, DAY, ("", usage.DEMO, "", 1), ("phone", usage.CALLS, "new", 20))
    texts = pages(reader)
    assert "1 Tag dieses Zeitraums zeigt ausgedachte Zahlen der Demo, keine echten." in texts[0].replace("\n", " ")
    assert len(texts) > 10 and all("Beispieldaten" in text for text in texts)
    last_year = pages(reader, "/staff/report.pdf?period=last-year")
    assert "vom 1. Januar 2025 bis 31. Dezember 2025" in last_year[0]
    assert not any("Beispieldaten" in text for text in last_year)


def test_the_page_links_the_pdf_of_its_period(reader) -> None:
    own = "period=custom&first=2026-11-02&last=2026-11-08"
    page = reader.client.get(f"/staff/report?{own}").get_data(as_text=True)
    assert f'href="/staff/report.pdf?{own.replace("&", "&amp;")}"' in page
    response = reader.client.get(f"/staff/report.pdf?{own}")
    assert "buergertelefon-bericht-2026-11-02-2026-11-08.pdf" in response.headers["Content-Disposition"]
    assert "Kaiserslautern, vom 2. November 2026 bis 8. November 2026" in pages(reader, f"/staff/report.pdf?{own}")[0]


def test_a_period_asked_for_wrongly_goes_back_to_the_page_that_says_why(reader) -> None:
    wrong = reader.client.get("/staff/report.pdf?period=custom&first=2026-11-20&last=2026-11-01")
    assert wrong.status_code == 302
    assert wrong.headers["Location"] == "/staff/report?period=custom&first=2026-11-20&last=2026-11-01"
    page = reader.client.get(wrong.headers["Location"]).get_data(as_text=True)
    assert "Bitte geben Sie beide Tage als Datum an" in page
    too_long = reader.client.get(
        "/staff/report.pdf?period=custom&first=2020-01-01&last=2026-11-01", follow_redirects=True
    )
    assert too_long.status_code == 200 and "höchstens drei Jahre" in too_long.get_data(as_text=True)
    nonsense = reader.client.get("/staff/report.pdf?period=custom&first=gestern&last=heute", follow_redirects=True)
    assert nonsense.status_code == 200 and "Bitte geben Sie beide Tage als Datum an" in nonsense.get_data(as_text=True)


def test_only_admins_and_the_report_role_get_the_pdf(app, client, editor) -> None:
    assert editor.client.get(Q4).status_code == 403
    client.post("/staff/logout", data={"csrf_token": editor.token("/staff/")})
    assert client.get(Q4).status_code == 302  # to the login page
    admin = logged_in(app, client, "admin@kaiserslautern.de", "admin")
    assert pages(admin)[0].startswith("Bericht an den Stadtrat")
