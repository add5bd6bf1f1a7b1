"""What an announcement or a project says on each channel: as an SMS and as speech.

Staff write each text once per language; the SMS and the spoken variant are derived from it
unless staff wrote their own ("sms", "spoken") for that language. Broadcasts, the phone's "send me
this as SMS", NEU and PROJEKT by SMS, the phone's lists and the staff preview all take their
words from here, so the channels cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date

from content.i18n import N_, language_name, translate
from content.models import SKIP_UNTRANSLATED, STATUS_NAMES
from content.sms_text import fit, smart_encode
from content.snapshot import NewsItem, RoadmapProject
from content.texts import fields_in, pick_language, sentence

PROJECT = N_("Project %(number)s: %(title)s. Status: %(status)s.")
PROJECT_LATEST = N_("Latest (%(date)s): %(text)s")

# Every SMS to subscribers says who writes and how to stop them; the note comes first in the
# text when a reader gets the first language's words because theirs were not written.
BROADCAST = N_("%(sender)s: %(text)s Unsubscribe: STOP")
ONLY_IN = N_("Only in %(language)s:")
# A broadcast SMS is at most this many messages long, sender and STOP included; a longer text is
# refused on the staff form, never cut.
BROADCAST_SEGMENTS = 2


@dataclass(frozen=True)
class Reading:
    """What a reader or listener of one language gets of a text."""

    language: str  # the language of the words they get
    fields: Mapping[str, Any]
    noted: bool  # not in their own language: a note says so first


def written(texts: Mapping[str, Any], language: str) -> bool:
    """Whether language has a text of its own to read (an announcement's title, text or SMS version;
    a project's title or summary; an update's text). A spoken version alone gives an SMS, NEU and the
    confirmation nothing to say: such a language gets what the rule says for untranslated ones."""
    fields = texts.get(language)
    return isinstance(fields, dict) and any(value for name, value in fields.items() if name != "spoken")


def reading(texts: Mapping[str, Any], rule: str, language: str, default: str) -> Reading | None:
    """The one rule for a language without its own text (Announcement.untranslated), for the phone,
    NEU and broadcasts: the first language's text with a note, or nothing (None)."""
    if written(texts, language):
        return Reading(language, texts[language], noted=False)
    if rule == SKIP_UNTRANSLATED:
        return None
    code = pick_language(dict(texts), language, default)
    return Reading(code, texts[code], noted=True) if code else None


def news_for(news: Sequence[NewsItem], language: str, default: str) -> tuple[NewsItem, ...]:
    """The news a reader of language gets, in order: those skipped for their language left out."""
    return tuple(item for item in news if reading(item.texts, item.untranslated, language, default) is not None)


def sms_draft(fields: Mapping[str, Any]) -> str:
    """One language's announcement as SMS before smart encoding: staff's own SMS version, or the
    title and the text, whole (a reply fits it; a broadcast refuses what is too long)."""
    if fields.get("sms"):
        return str(fields["sms"])
    return " ".join(filter(None, (sentence(fields.get("title")), sentence(fields.get("body")))))


def announcement_sms(texts: Mapping[str, Any], language: str, fallback: str) -> str | None:
    """The announcement as one SMS for a reader of language, fitted into two messages."""
    fields = fields_in(dict(texts), language, fallback)
    if not fields:
        return None
    return smart_encode(fit(sms_draft(fields)))


def broadcast_draft(texts: Mapping[str, Any], rule: str, language: str, default: str, sender: str) -> str | None:
    """The SMS a subscriber of language gets, before smart encoding: who sends it, the note if it
    is not in their language, the text (not cut, however long) and how to stop; None if the rule
    skips them."""
    found = reading(texts, rule, language, default)
    if found is None:
        return None
    return translate(language, BROADCAST, sender=sender, text=noted_sms(found, language))


def broadcast_sms(texts: Mapping[str, Any], rule: str, language: str, default: str, sender: str) -> str | None:
    """The SMS a subscriber of language gets, exactly as it is sent; None if the rule skips them."""
    draft = broadcast_draft(texts, rule, language, default, sender)
    return None if draft is None else smart_encode(draft)


def only_in(written_in: str, language: str) -> str:
    """The note a reader of language gets before a text written in another language: "Only in German:"."""
    return translate(language, ONLY_IN, language=language_name(written_in, language))


def noted(text: str, written_in: str, language: str) -> str:
    """text for a reader of language: as it is if written in their language, else after the note."""
    return text if written_in == language else f"{only_in(written_in, language)} {text}"


def noted_sms(found: Reading, language: str) -> str:
    """The SMS text of what a reader of language gets, after the note if it is in another language."""
    return noted(sms_draft(found.fields), found.language, language)


def headline(item: NewsItem, language: str, default: str) -> str:
    """A news item's title in a list for a reader of language (NEU), after the note where it is
    not written in their language; empty if the rule skips their language."""
    found = reading(item.texts, item.untranslated, language, default)
    if found is None:
        return ""
    return noted(sentence(found.fields.get("title")), found.language, language)


def item_sms(item: NewsItem, language: str, default: str) -> str:
    """A news item as a reader of language gets it by SMS (NEU 2), with the note where it is needed;
    empty if the rule skips their language."""
    found = reading(item.texts, item.untranslated, language, default)
    return noted_sms(found, language) if found else ""


def spoken(fields: Mapping[str, Any], *parts: str) -> str:
    """The spoken variant: staff's own if they wrote one, else the named fields as sentences."""
    override = sentence(fields.get("spoken"))
    if override:
        return override
    return " ".join(filter(None, (sentence(fields.get(part)) for part in parts)))


def project_sms(project: RoadmapProject, language: str, fallback: str) -> str:
    """A project as SMS: number, title, status, the latest progress note and the summary; a project
    not written in language is sent in the first one, after a note that says so."""
    code = pick_language(dict(project.texts), language, fallback) or language
    texts = project.texts.get(code, {})
    status = translate(language, STATUS_NAMES.get(project.status, project.status))
    head = translate(language, PROJECT, number=project.number, title=texts.get("title", ""), status=status)
    head = noted(head, code, language)
    latest = ""
    if project.latest_update is not None:
        update = project.latest_update
        latest = translate(
            language,
            PROJECT_LATEST,
            date=format_date(update.happened_on, "medium", locale=language),
            text=sentence(fields_in(update.texts, code, fallback).get("text")),
        )
    return smart_encode(fit(head, latest, sentence(texts.get("summary"))))
