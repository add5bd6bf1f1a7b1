"""What an announcement or a project says on each channel: as an SMS and as speech.

Staff write each text once per language; the SMS and the spoken variant are derived from it
unless staff wrote their own ("sms", "spoken") for that language. Broadcasts, the phone's "send me
this as SMS", NEU and PROJEKT by SMS, the phone's lists and the staff preview all take their
words from here, so the channels cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.dates import format_date

from content.i18n import N_, translate
from content.models import STATUS_NAMES
from content.sms_text import fit, smart_encode
from content.snapshot import RoadmapProject
from content.texts import fields_in, sentence

PROJECT = N_("Project %(number)s: %(title)s. Status: %(status)s.")
PROJECT_LATEST = N_("Latest (%(date)s): %(text)s")


def sms_draft(fields: Mapping[str, Any]) -> str:
    """One language's announcement as SMS before smart encoding: staff's own SMS version, or the
    title and text fitted into two messages."""
    if fields.get("sms"):
        return str(fields["sms"])
    return fit(sentence(fields.get("title")), sentence(fields.get("body")))


def announcement_sms(texts: Mapping[str, Any], language: str, fallback: str) -> str | None:
    """The SMS an announcement becomes for a reader of language, exactly as it is sent."""
    fields = fields_in(dict(texts), language, fallback)
    if not fields:
        return None
    return smart_encode(sms_draft(fields))


def spoken(fields: Mapping[str, Any], *parts: str) -> str:
    """The spoken variant: staff's own if they wrote one, else the named fields as sentences."""
    override = sentence(fields.get("spoken"))
    if override:
        return override
    return " ".join(filter(None, (sentence(fields.get(part)) for part in parts)))


def project_sms(project: RoadmapProject, language: str, fallback: str) -> str:
    """A project as SMS: number, title, status, the latest progress note and the summary."""
    texts = fields_in(project.texts, language, fallback)
    status = translate(language, STATUS_NAMES.get(project.status, project.status))
    head = translate(language, PROJECT, number=project.number, title=texts.get("title", ""), status=status)
    latest = ""
    if project.latest_update is not None:
        update = project.latest_update
        latest = translate(
            language,
            PROJECT_LATEST,
            date=format_date(update.happened_on, "medium", locale=language),
            text=sentence(fields_in(update.texts, language, fallback).get("text")),
        )
    return smart_encode(fit(head, latest, sentence(texts.get("summary"))))
