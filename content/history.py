"""The roadmap's history, read from the revisions: what changed on each project, and when.

Projects and their updates are public history from the start. An announcement's history becomes
public once the announcement is (drafts and scheduled news stay with staff). Settings (numbers,
office hours) are the administration's own and not part of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from content.i18n import N_
from content.models import FIELD_NAMES, STATUS_NAMES, Revision

PUBLIC_ENTITIES = ("project", "project_update")
# Authors that are not a person at the town hall.
MACHINE_AUTHORS = ("system", "demo", "cli")


@dataclass(frozen=True)
class Change:
    """One field of one language that a revision changed."""

    field: str
    language: str | None
    before: Any
    after: Any


def public_revisions(session: Session, public_announcements: Iterable[int] = ()) -> list[Revision]:
    """Newest first: every project and update revision, and those of the announcements named."""
    shown = or_(
        Revision.entity.in_(PUBLIC_ENTITIES),
        and_(Revision.entity == "announcement", Revision.entity_id.in_([str(i) for i in public_announcements])),
    )
    return list(session.scalars(select(Revision).where(shown).order_by(Revision.id.desc())))


def project_of(revision: Revision) -> int | None:
    """The id of the project a project or project-update revision belongs to."""
    if revision.entity == "project":
        return int(revision.entity_id)
    if revision.entity != "project_update":
        return None
    record = revision.after or revision.before or {}
    return record.get("project_id")


def by_project(revisions: list[Revision]) -> dict[int, list[Revision]]:
    grouped: dict[int, list[Revision]] = {}
    for revision in revisions:
        project = project_of(revision)
        if project is not None:
            grouped.setdefault(project, []).append(revision)
    return grouped


# How a changed field is named for readers, and which fields hold a key with a readable name.
FIELD_LABELS = {
    "status": N_("Status"),
    "field": N_("Field of action"),
    "number": N_("Number"),
    "title": N_("Title"),
    "summary": N_("What it is about"),
    "text": N_("What happened"),
    "body": N_("Text for the web"),
    "spoken": N_("Spoken version"),
    "sms": N_("SMS version"),
    "happened_on": N_("Date"),
    "publish_at": N_("Public from"),
    "expires_at": N_("Public until"),
}
VALUE_NAMES = {"status": STATUS_NAMES, "field": FIELD_NAMES}


# Bookkeeping columns that change with every edit and say nothing to a reader.
_BOOKKEEPING = {"id", "project_id", "created_at", "updated_at"}


def changes(revision: Revision) -> list[Change]:
    """What the revision changed, field by field and, for texts, language by language."""
    before, after = revision.before or {}, revision.after or {}
    found = []
    for field in sorted(set(before) | set(after)):
        if field in _BOOKKEEPING or before.get(field) == after.get(field):
            continue
        if field == "texts":
            old, new = before.get(field) or {}, after.get(field) or {}
            for language in sorted(set(old) | set(new)):
                old_fields, new_fields = old.get(language) or {}, new.get(language) or {}
                for name in sorted(set(old_fields) | set(new_fields)):
                    if old_fields.get(name) != new_fields.get(name):
                        found.append(Change(name, language, old_fields.get(name), new_fields.get(name)))
        else:
            found.append(Change(field, None, before.get(field), after.get(field)))
    return found


def public_author(author: str) -> str:
    """Staff are named by role, not by address: the history is public, staff addresses are not."""
    return "system" if author in MACHINE_AUTHORS else "staff"


def as_json(revision: Revision) -> dict[str, Any]:
    return {
        "id": revision.id,
        "entity": revision.entity,
        "entity_id": revision.entity_id,
        "action": revision.action,
        "author": public_author(revision.author),
        "changed_at": revision.changed_at.isoformat(),
        "before": revision.before,
        "after": revision.after,
    }
