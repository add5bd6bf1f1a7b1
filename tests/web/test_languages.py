"""The public pages in every language: lang and dir, the language switch, the note on texts that
exist only in German, the Leichte-Sprache page; and the staff forms and preview for eight languages."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from content import demo, guides, office_hours
from content.channel_texts import ONLY_IN
from content.i18n import language_name, own_name, translate
from content.models import Announcement, Poll, PollOption, Project, ProjectUpdate
from content.queries import save_town_profile
from tests.web.markup import elements

# What each demo language's pages say on <html>: BCP 47 language and direction, written out.
HTML = {
    "de": ("de", "ltr"),
    "de@easy": ("de", "ltr"),
    "en": ("en", "ltr"),
    "tr": ("tr", "ltr"),
    "ru": ("ru", "ltr"),
    "uk": ("uk", "ltr"),
    "ar": ("ar", "rtl"),
    "pl": ("pl", "ltr"),
}
# How a German page names each language (the staff forms' field groups).
GERMAN_NAMES = {
    "de": "Deutsch",
    "en": "Englisch",
    "tr": "Türkisch",
    "ru": "Russisch",
    "uk": "Ukrainisch",
    "ar": "Arabisch",
    "pl": "Polnisch",
}


def languages(session, *codes: str) -> None:
    """The demo town with these languages, in this order."""
    chosen = tuple(next(language for language in demo.LANGUAGES if language.code == code) for code in codes)
    save_town_profile(session, replace(demo.KAISERSLAUTERN, languages=chosen))
    session.commit()


@pytest.fixture
def every_language(session) -> list[str]:
    codes = [language.code for language in demo.LANGUAGES]
    languages(session, *codes)
    return codes


@pytest.mark.parametrize("code", sorted(HTML))
@pytest.mark.parametrize("path", ["/", "/roadmap", "/simulator"])
def test_each_page_says_its_language_and_direction(client, every_language, code: str, path: str) -> None:
    page = client.get(path, query_string={"lang": code})
    assert page.status_code == 200
    html = elements(page.get_data(as_text=True), "html")[0]
    assert (html.attrs["lang"], html.attrs["dir"]) == HTML[code]


def test_the_language_switch_names_each_language_in_itself(client, every_language) -> None:
    page = client.get("/?lang=tr").get_data(as_text=True)
    links = [link for link in elements(page, "a") if "hreflang" in link.attrs]
    assert [link.text for link in links] == [own_name(code) for code in every_language]
    assert [(link.attrs["hreflang"], link.attrs["lang"], link.attrs["dir"]) for link in links] == [
        (lang, lang, direction) for lang, direction in (HTML[code] for code in every_language)
    ]
    assert [link.attrs["href"] for link in links if "aria-current" in link.attrs] == ["?lang=tr"]
    assert "?lang=de%40easy" in [link.attrs["href"] for link in links]


def test_leichte_sprache_is_chosen_by_its_code_and_remembered(client, every_language) -> None:
    def current(page: str) -> list[str]:
        return [a.attrs["href"] for a in elements(page, "a") if "hreflang" in a.attrs and "aria-current" in a.attrs]

    assert current(client.get("/?lang=de%40easy").get_data(as_text=True)) == ["?lang=de%40easy"]
    roadmap = client.get("/roadmap").get_data(as_text=True)
    assert current(roadmap) == ["?lang=de%40easy"]
    assert elements(roadmap, "html")[0].attrs["lang"] == "de"
    assert 'xml:lang="de"' in client.get("/roadmap.atom").get_data(as_text=True)
    assert client.get("/roadmap.json").status_code == 200


def test_a_language_the_town_has_not_enabled_gives_its_first_language(client, session) -> None:
    languages(session, "de", "ar")
    page = client.get("/?lang=tr").get_data(as_text=True)
    assert elements(page, "html")[0].attrs == {"lang": "de", "dir": "ltr"}


def only_in_german(code: str) -> str:
    return translate(code, ONLY_IN, language=language_name("de", code))


def test_news_without_arabic_text_say_so_and_show_the_german_marked_as_german(client, session) -> None:
    languages(session, "de", "ar")
    german_only, *both = session.scalars(select(Announcement).order_by(Announcement.publish_at.desc())).all()
    german_only.texts = {"de": {"title": "Neue Sprechstunde", "body": "Jeden Dienstag im Rathaus."}}
    for item in both:
        item.texts = {"de": {"title": "Wahl", "body": "Am Sonntag."}, "ar": {"title": "انتخابات", "body": "يوم الأحد."}}
    session.commit()
    page = client.get("/?lang=ar").get_data(as_text=True)
    notes = [note.text for note in elements(page, "p", **{"class": "only-in"})]
    assert notes == [only_in_german("ar")]
    german = elements(page, "h3", lang="de", dir="ltr")
    assert "Neue Sprechstunde" in [title.text for title in german]
    assert "Jeden Dienstag im Rathaus." in [p.text for p in elements(page, "p", lang="de", dir="ltr")]
    arabic = [h3 for h3 in elements(page, "h3") if h3.text == "انتخابات"]
    assert arabic and all("lang" not in h3.attrs for h3 in arabic)  # the page's own language


def test_the_roadmap_marks_projects_updates_and_polls_only_in_german(client, session, clock) -> None:
    languages(session, "de", "tr")
    project = session.scalar(select(Project).where(Project.number == 9))
    project.texts = {"de": {"title": "Glasfaser für alle", "summary": "Jedes Haus bekommt einen Anschluss."}}
    session.add(ProjectUpdate(project=project, happened_on=clock().date(), texts={"de": {"text": "Bagger rollen."}}))
    poll = Poll(
        texts={"de": {"question": "Wo zuerst?"}},
        opens_at=clock() - timedelta(days=9),
        closes_at=clock() - timedelta(days=1),
    )
    poll.options = [PollOption(position=1, texts={"de": {"label": "Im Westen"}, "tr": {"label": "Batıda"}})]
    session.add(poll)
    session.commit()
    page = client.get("/roadmap?lang=tr").get_data(as_text=True)
    heading = elements(page, "h2", id="project-9")[0]
    assert heading.text == translate("tr", "Project %(number)s: %(title)s", number=9, title="Glasfaser für alle")
    assert [span.text for span in elements(page, "span", lang="de", dir="ltr")] == [
        "Glasfaser für alle",
        "Bagger rollen.",
    ]
    assert "Jedes Haus bekommt einen Anschluss." in [p.text for p in elements(page, "p", lang="de", dir="ltr")]
    assert [h3.text for h3 in elements(page, "h3", lang="de", dir="ltr")] == ["Wo zuerst?"]
    assert [td.text for td in elements(page, "td") if td.text == "Batıda"] == ["Batıda"]
    notes = [note.text for note in elements(page) if note.attrs.get("class") == "only-in"]
    assert notes == [only_in_german("tr")] * 3  # the poll, project 9, its new progress note


def test_the_leichte_sprache_page_explains_the_hotline_from_the_town_profile(app, client, session) -> None:
    profile = replace(
        demo.KAISERSLAUTERN,
        hotline_number="+496315550123",
        office_hours={"tue": [["09:00", "12:00"]]},
        retention_days={**demo.KAISERSLAUTERN.retention_days, "callback": 14},
    )
    save_town_profile(session, profile)
    session.commit()
    response = client.get("/leichte-sprache")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert elements(page, "html")[0].attrs == {"lang": "de", "dir": "ltr"}
    assert elements(page, "h1")[0].text == "Das Bürger-Telefon in Leichter Sprache"
    assert [a.text for a in elements(page, "a", href="tel:+496315550123")] == ["0631 5550123"]
    text = " ".join(p.text for p in elements(page, "p"))
    with app.test_request_context():
        hours = office_hours.describe(profile, "de@easy")
        phone_keys = guides.guide("phone", "de@easy")
        sms_words = guides.guide("sms", "de@easy")
    assert f"Zu diesen Zeiten spricht ein Mensch mit Ihnen: {hours}." in text
    assert "Die Stadt löscht einen Wunsch nach Rück-Ruf nach 14 Tagen." in text
    assert "Schreiben Sie ein Wort in die SMS." in text
    cells = [td.text for td in elements(page, "td")]
    for key, said, _language in phone_keys + sms_words:
        assert " ".join(said.split()) in cells and key in cells


@pytest.mark.parametrize("code", ["de", "ar"])
@pytest.mark.parametrize("path", ["/", "/roadmap", "/simulator"])
def test_every_public_page_links_the_leichte_sprache_page(client, every_language, code: str, path: str) -> None:
    page = client.get(path, query_string={"lang": code}).get_data(as_text=True)
    links = elements(page, "a", href="/leichte-sprache")
    assert links and {(a.text, a.attrs["lang"]) for a in links} == {("Das Bürger-Telefon in Leichter Sprache", "de")}


def test_the_language_switch_of_the_leichte_sprache_page_leads_to_the_start_page(client, every_language) -> None:
    page = client.get("/leichte-sprache").get_data(as_text=True)
    hrefs = [a.attrs["href"] for a in elements(page, "a") if "hreflang" in a.attrs]
    assert hrefs == ["/?" + ("lang=de%40easy" if code == "de@easy" else f"lang={code}") for code in every_language]


# Staff forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form", ["/staff/announcements/new", "/staff/projects/new", "/staff/projects/1/updates/new", "/staff/polls/new"]
)
def test_staff_write_each_text_in_each_language_in_fields_marked_with_it(editor, every_language, form: str) -> None:
    page = editor.client.get(form).get_data(as_text=True)
    groups = [group for group in elements(page, "fieldset") if "data-language" in group.attrs]
    assert [group.attrs["data-language"] for group in groups] == every_language
    legends = [legend.text for legend in elements(page, "legend")][: len(every_language)]
    names = [GERMAN_NAMES.get(code) or own_name(code) for code in every_language]
    assert legends == [f"{names[0]} – Pflicht", *names[1:]]
    fields = [f for f in elements(page) if f.tag in ("input", "textarea") and f.attrs.get("type") != "hidden"]
    for code in every_language:
        own = [f for f in fields if f.attrs.get("name", "").endswith("_" + code)]
        assert own and {(f.attrs["lang"], f.attrs["dir"]) for f in own} == {HTML[code]}, code


def preview(editor, **texts: str) -> dict:
    answer = editor.submit("/staff/announcements/new", texts, to="/staff/preview")
    assert answer.status_code == 200
    return answer.get_json()


def test_the_preview_counts_cyrillic_and_turkish_as_special_characters_two_sms_hold_134(editor, session) -> None:
    languages(session, "de", "ru", "tr")
    one_letter = preview(editor, title_de="Neu", title_ru="а")["ru"]
    around = one_letter["characters"] - 1  # the sender, "." and how to stop, around the text
    fits, too_long = (preview(editor, title_de="Neu", title_ru="а" * (134 - around + n))["ru"] for n in (0, 1))
    assert (fits["characters"], fits["segments"], fits["encoding"]) == (134, 2, "Sonderzeichen (70 pro SMS)")
    assert (too_long["characters"], too_long["segments"]) == (135, 3)

    both = preview(editor, title_de="Neu", title_ru="Быстрый интернет для всех", title_tr="Herkes için hızlı internet")
    said = (
        "Die Buchstaben {} gehören nicht zum normalen SMS-Alphabet: Die SMS wird mit Sonderzeichen gesendet, "
        "70 Zeichen in einer SMS, 134 in zwei"
    )
    assert both["ru"]["changes"] == [said.format("Б ы с т р …")]
    assert both["tr"]["changes"] == [said.format("ç ı")]
    assert both["tr"]["encoding"] == "Sonderzeichen (70 pro SMS)" and both["de"]["encoding"] != both["tr"]["encoding"]


DOUBLED_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")  # "г.." where a date's own full stop meets the sentence's


def test_a_closed_polls_date_is_never_followed_by_a_second_full_stop(client, session, every_language, clock) -> None:
    poll = Poll(texts={"de": {"question": "Wo zuerst?"}}, opens_at=clock() - timedelta(days=9), closes_at=clock())
    poll.options = [PollOption(position=1, texts={"de": {"label": "Im Westen"}})]
    session.add(poll)
    session.commit()
    for code in every_language:
        page = client.get("/roadmap", query_string={"lang": code}).get_data(as_text=True)
        dates = [p.text for p in elements(page, "p", **{"class": "hint"}) if "2026" in p.text]
        assert dates and not any(DOUBLED_STOP.search(text) for text in dates), (code, dates)


@pytest.mark.parametrize("odd", ["xx", "de@", "<script>", "x" * 5000, "de@easy@x", "\x00", "tr"])
def test_an_odd_or_disabled_language_in_the_address_keeps_the_visitors_choice(client, session, odd: str) -> None:
    languages(session, "de", "ar", "en")
    client.get("/?lang=ar")
    for path in ("/", "/roadmap", "/simulator"):
        page = client.get(path, query_string={"lang": odd}).get_data(as_text=True)
        assert elements(page, "html")[0].attrs == {"lang": "ar", "dir": "rtl"}, (path, odd)


@pytest.mark.parametrize("typed", ["AR", "Ar", " ar "])
def test_a_language_code_typed_by_hand_in_capitals_or_with_spaces_is_understood(client, session, typed: str) -> None:
    languages(session, "de", "ar")
    page = client.get("/", query_string={"lang": typed}).get_data(as_text=True)
    assert elements(page, "html")[0].attrs == {"lang": "ar", "dir": "rtl"}


def test_each_language_offer_in_the_key_table_says_its_language(client) -> None:
    """Screen readers read a row in its own language (WCAG: language of parts): the Arabic offer on
    the Russian page is lang="ar" dir="rtl", the Russian page's own rows are not marked."""
    page = client.get("/?lang=ru").get_data(as_text=True)
    rows = re.findall(r"<tr><td>(.)</td><td ([^>]*)>", page)
    assert ("9", 'lang="ar" dir="rtl"') in rows and ("9", 'lang="de" dir="ltr"') in rows
    assert ("1", 'dir="auto"') in rows
