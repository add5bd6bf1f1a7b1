"""What the phone (and later SMS and web) reads from and writes to the content store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from content import last_known
from content.models import Announcement, CallerVisit, Project, Setting
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


def public_announcements(session: Session, now: datetime) -> list[Announcement]:
    """Announcements public at this moment, newest first."""
    query = (
        select(Announcement)
        .where(Announcement.publish_at <= now)
        .where(or_(Announcement.expires_at.is_(None), Announcement.expires_at > now))
        .order_by(Announcement.publish_at.desc(), Announcement.id.desc())
    )
    return list(session.scalars(query))


def roadmap(session: Session) -> list[Project]:
    """All projects by number, each with its updates (newest first) loaded."""
    query = select(Project).options(selectinload(Project.updates)).order_by(Project.number)
    return list(session.scalars(query))


def remember_call(session: Session, pseudonym: str, now: datetime) -> datetime | None:
    """Note that this caller calls now; return when they called before (None: first call)."""
    visit = session.get(CallerVisit, pseudonym)
    if visit is not None:
        previous = visit.last_call_at
        visit.last_call_at = now
        session.commit()
        return previous
    session.add(CallerVisit(pseudonym=pseudonym, last_call_at=now))
    try:
        session.commit()
    except IntegrityError:  # the same caller on two lines at once: the other call noted it
        session.rollback()
    return None
