"""Reading and writing content: the town profile, announcements, the roadmap."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from content import last_known
from content.models import Announcement, Poll, Project, Setting
from content.profile import TownProfile, profile_from_settings


def town_profile(session: Session) -> TownProfile:
    """The town profile from the Setting rows; remembered as the last known one for bad days."""
    values = {setting.key: setting.value for setting in session.scalars(select(Setting))}
    profile = profile_from_settings(values)
    last_known.remember(profile)
    return profile


def save_town_profile(session: Session, profile: TownProfile) -> None:
    """Write the profile as Setting rows (each changed key leaves a revision)."""
    existing = {setting.key: setting for setting in session.scalars(select(Setting))}
    for key, value in profile.to_settings().items():
        if key not in existing:
            session.add(Setting(key=key, value=value))
        elif existing[key].value != value:
            existing[key].value = value


def scheduled_announcements(session: Session) -> list[Announcement]:
    """Announcements that are or will be public (drafts left out), newest first."""
    query = (
        select(Announcement)
        .where(Announcement.publish_at.is_not(None))
        .order_by(Announcement.publish_at.desc(), Announcement.id.desc())
    )
    return list(session.scalars(query))


def roadmap(session: Session) -> list[Project]:
    """All projects by number, each with its updates (newest first) loaded."""
    query = select(Project).options(selectinload(Project.updates)).order_by(Project.number)
    return list(session.scalars(query))


# Callers only ever hear the open polls; a town runs a few at a time.
RECENT_POLLS = 20


def recent_polls(session: Session) -> list[Poll]:
    """The polls that opened most recently (or will open), with their options; callers pick the open ones."""
    query = select(Poll).options(selectinload(Poll.options)).order_by(Poll.opens_at.desc(), Poll.id.desc())
    return list(session.scalars(query.limit(RECENT_POLLS)))
