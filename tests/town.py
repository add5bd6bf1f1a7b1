"""A small test town beside the Kaiserslautern demo: other name, numbers, hours and one language.

Tests marked `@pytest.mark.small_town` get it instead of the demo; what they check must then hold
for any town that runs the service by changing content and settings, never code.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from content.models import IN_PROGRESS, PLANNED
from content.profile import Language, TownProfile
from content.queries import save_town_profile
from content.revisions import changes_by
from tests.factories import create_announcement, create_project

# Fixed-line numbers the Bundesnetzagentur keeps free for films and examples (Berlin, 030 23125 xxx).
MUSTERSTADT = TownProfile(
    town="Musterstadt",
    greeting={"de": "Guten Tag, hier ist das Bürgertelefon von Musterstadt."},
    hotline_number="+493023125000",
    staff_number="+493023125100",
    office_hours={day: [["09:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
    holidays_country="DE",
    holidays_subdivision="BE",
    timezone="Europe/Berlin",
    languages=(Language("de", "de-DE", "Polly.Vicki-Neural"),),
)


def load(session: Session, today: date) -> None:
    """The small town: its profile, two projects and one announcement."""
    now = datetime.combine(today, time(9, 0), tzinfo=ZoneInfo(MUSTERSTADT.timezone))
    with changes_by("tests"):
        save_town_profile(session, MUSTERSTADT)
        create_project(
            session,
            now,
            number=1,
            title="Bürgerbüro online",
            status=IN_PROGRESS,
            summary="Anträge gibt es bald auch am Telefon erklärt.",
            progress=[(3, "Die ersten drei Anträge sind fertig.")],
        )
        create_project(
            session,
            now - timedelta(days=1),
            number=2,
            title="Freies Netz im Park",
            status=PLANNED,
            summary="Im Stadtpark soll es freies Internet geben.",
        )
        create_announcement(
            session, now, title="Sprechstunde im Rathaus", body="Jeden Mittwoch von 9 bis 12 Uhr.", english=False
        )
