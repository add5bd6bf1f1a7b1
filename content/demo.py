"""Demo content: Kaiserslautern's town profile, the Leitbild's first nine projects, some news, a poll.

The projects are those of the Leitbild's annex "Erste Projekte"; their summaries are written for
the ear. Progress notes and news are examples for trying the hotline out, dated relative to the
day the demo is loaded so that it always sounds current.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.models import DONE, IN_PROGRESS, PILOT, PLANNED, Announcement, Poll, PollOption, Project, ProjectUpdate
from content.profile import Language, TownProfile
from content.queries import save_town_profile
from content.revisions import changes_by

KAISERSLAUTERN = TownProfile(
    town="Kaiserslautern",
    greeting={
        "de": "Herzlich willkommen beim Bürgertelefon der herzlich-digitalen Stadt Kaiserslautern.",
        "en": "Welcome to the citizens' line of Kaiserslautern, the warm-hearted digital city.",
    },
    # A number the Bundesnetzagentur keeps free for films and examples: nobody is called by mistake.
    hotline_number="+496990009000",
    staff_number="+496313650",
    office_hours={
        "mon": [["08:00", "16:00"]],
        "tue": [["08:00", "16:00"]],
        "wed": [["08:00", "16:00"]],
        "thu": [["08:00", "18:00"]],
        "fri": [["08:00", "12:00"]],
    },
    holidays_country="DE",
    holidays_subdivision="RP",
    timezone="Europe/Berlin",
    languages=(
        Language("de", "de-DE", "Polly.Vicki-Neural"),
        Language("en", "en-GB", "Polly.Amy-Neural"),
    ),
)

# number, field, status, German title/summary, English title/summary, updates (days ago, de, en)
PROJECTS = [
    (
        1,
        "mobility",
        PILOT,
        "Autonomes Fahren und E-Mobilität",
        "Kleine Busse fahren ohne Fahrer, aber mit Begleitung, im Uni-Wohngebiet, auf dem Uni-Campus "
        "und entlang der Trippstadter Straße hin und her.",
        "Self-driving buses and e-mobility",
        "Small buses drive themselves, with an attendant on board, around the university housing "
        "area, on the campus and along Trippstadter Straße.",
        [
            (
                12,
                "Die Probefahrten laufen. Jeder kann kostenlos mitfahren.",
                "The trial runs have started. Anyone can ride for free.",
            )
        ],
    ),
    (
        2,
        "urban_development",
        IN_PROGRESS,
        "Intelligente Infrastruktur, Reallabor",
        "Mit 25 Millionen Euro vom Bund entsteht ein Stadtteil, in dem Energie, Umwelt, Verkehr und "
        "Infrastruktur neu zusammenspielen.",
        "Smart infrastructure, living lab",
        "With 25 million euros of federal funding, a district is being built where energy, "
        "environment, transport and infrastructure work together in new ways.",
        [
            (
                30,
                "Die ersten Messstellen für Energie und Luft sind aufgebaut.",
                "The first sensors for energy and air quality are in place.",
            )
        ],
    ),
    (
        3,
        "economy",
        IN_PROGRESS,
        "Handel in der Innenstadt",
        "Eine gemeinsame Plattform für die Geschäfte der Stadt soll die Innenstadt beleben und "
        "den Händlern vor Ort gegen große Internet-Plattformen helfen.",
        "Local shops in the city centre",
        "A shared platform for the city's shops is to bring life to the city centre and help local "
        "traders compete with large online platforms.",
        [(21, "Vierzig Geschäfte machen bei der Plattform mit.", "Forty shops have joined the platform.")],
    ),
    (
        4,
        "education",
        PLANNED,
        "Digitales Lernen in der Schule",
        "Lehrkräfte und Fachleute aus der Stadt tauschen sich aus, damit gute Ideen schneller in die "
        "Schulen kommen. Auch das Lernen im ganzen Leben soll leichter werden.",
        "Digital learning in schools",
        "Teachers and local experts share their ideas so that good ones reach the schools sooner. "
        "Learning throughout life should become easier too.",
        [],
    ),
    (
        5,
        "health_care",
        PILOT,
        "Selbstbestimmt wohnen im Alter",
        "Technik in der eigenen Wohnung hilft älteren Menschen, möglichst lange selbstständig zu leben.",
        "Independent living in old age",
        "Technology in their own homes helps older people live independently for as long as possible.",
        [
            (
                45,
                "Zwölf Haushalte testen die Technik und sagen uns, was ihnen hilft.",
                "Twelve households are testing the technology and telling us what helps them.",
            )
        ],
    ),
    (
        6,
        "administration",
        IN_PROGRESS,
        "Bürgerkonto",
        "Mit einem Konto können Bürgerinnen, Bürger, Firmen und Vereine Behördengänge online "
        "erledigen. Dafür nutzen wir bewährte Lösungen aus Rheinland-Pfalz.",
        "Citizen account",
        "With one account, residents, businesses and clubs can deal with the town hall online. We "
        "use proven solutions from Rhineland-Palatinate.",
        [(8, "Die ersten zehn Anträge gehen jetzt auch online.", "The first ten applications can now be made online.")],
    ),
    (
        7,
        "safety",
        PLANNED,
        "Drohnen für Sicherheit und Bauwerke",
        "Drohnen mit geschulten Teams helfen bei Einsätzen, prüfen Gebäude auf Schäden und erfassen Grünflächen.",
        "Drones for safety and buildings",
        "Drones with trained crews help emergency services, check buildings for damage and map green spaces.",
        [],
    ),
    (
        8,
        "administration",
        DONE,
        "Büro der Zukunft im Rathaus",
        "Ein modernes Modellbüro im Rathaus zeigt, wie die Verwaltung mit neuer Technik arbeitet. "
        "Andere Kommunen können es besichtigen.",
        "Office of the future in the town hall",
        "A modern model office in the town hall shows how the administration works with new "
        "technology. Other municipalities can visit it.",
        [
            (
                60,
                "Das Modellbüro ist fertig und kann besichtigt werden.",
                "The model office is finished and open for visits.",
            )
        ],
    ),
    (
        9,
        "infrastructure",
        IN_PROGRESS,
        "Schnelles Internet für alle",
        "Wir ermitteln, wo in Kaiserslautern Glasfaser gebraucht wird und wo sie schon liegt.",
        "Fast internet for everyone",
        "We are finding out where in Kaiserslautern fibre is needed and where it is already in place.",
        [
            (
                3,
                "Die Umfrage zum Bedarf ist ausgewertet. Der Bericht kommt in den Stadtrat.",
                "The survey of needs has been evaluated. The report goes to the city council.",
            )
        ],
    ),
]

# days ago, German title/body, English title/body
NEWS = [
    (
        1,
        "Das Bürgertelefon ist da",
        "Ab sofort erfahren Sie am Telefon, was es Neues gibt und wie die digitalen Projekte der "
        "Stadt vorankommen. Alles, was Sie brauchen, ist ein Telefon.",
        "The citizens' line is here",
        "From today you can hear by phone what is new and how the city's digital projects are "
        "coming along. All you need is a telephone.",
    ),
    (
        6,
        "Digital-Sprechstunde im Rathaus",
        "Jeden ersten Mittwoch im Monat helfen Ehrenamtliche im Rathaus bei Fragen zu Handy, "
        "Tablet und Internet. Sie brauchen keinen Termin.",
        "Digital help desk at the town hall",
        "On the first Wednesday of every month, volunteers at the town hall help with questions "
        "about mobile phones, tablets and the internet. No appointment needed.",
    ),
    (
        15,
        "Die Roadmap wurde aktualisiert",
        "Der Stadtrat hat den neuen Stand der digitalen Projekte beraten. Sie hören ihn unter Projekte.",
        "The roadmap has been updated",
        "The city council has discussed the latest progress of the digital projects. You can hear it under projects.",
    ),
]


# One open poll, so that a newcomer can vote by phone and by SMS right away: German, English.
POLL_QUESTION = ("Wo soll das nächste freie WLAN der Stadt entstehen?", "Where should the city's next free Wi-Fi be?")
POLL_OPTIONS = [
    ("Am Stiftsplatz", "At Stiftsplatz"),
    ("Im Volkspark", "In the Volkspark"),
    ("In der Stadtbibliothek", "In the city library"),
]
# Open from the day before loading for a year: a demo that keeps running keeps its poll open.
POLL_OPEN_DAYS = 365


def demo_poll(today: date) -> Poll:
    poll = Poll(
        texts={"de": {"question": POLL_QUESTION[0]}, "en": {"question": POLL_QUESTION[1]}},
        opens_at=_morning(today - timedelta(days=1)),
        closes_at=_morning(today + timedelta(days=POLL_OPEN_DAYS)),
    )
    poll.options = [
        PollOption(position=position, texts={"de": {"label": german}, "en": {"label": english}})
        for position, (german, english) in enumerate(POLL_OPTIONS, 1)
    ]
    return poll


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def has_content(session: Session) -> bool:
    return bool(session.scalar(select(func.count(Project.id))))


def load(session: Session, today: date, *, with_poll: bool = True) -> None:
    """Load the demo town, projects, news and (unless told not to) its open poll; the caller commits."""
    with changes_by("demo"):
        save_town_profile(session, KAISERSLAUTERN)
        for number, field, status, title_de, summary_de, title_en, summary_en, updates in PROJECTS:
            project = Project(
                number=number,
                field=field,
                status=status,
                texts={
                    "de": {"title": title_de, "summary": summary_de},
                    "en": {"title": title_en, "summary": summary_en},
                },
            )
            for days_ago, text_de, text_en in updates:
                project.updates.append(
                    ProjectUpdate(
                        happened_on=today - timedelta(days=days_ago),
                        texts={"de": {"text": text_de}, "en": {"text": text_en}},
                    )
                )
            session.add(project)
        for days_ago, title_de, body_de, title_en, body_en in NEWS:
            session.add(
                Announcement(
                    publish_at=_morning(today - timedelta(days=days_ago)),
                    texts={
                        "de": {"title": title_de, "body": body_de},
                        "en": {"title": title_en, "body": body_en},
                    },
                )
            )
        if with_poll:
            session.add(demo_poll(today))
        session.flush()
