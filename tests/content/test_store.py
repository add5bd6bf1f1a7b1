"""The content store: revisions, time zones, migrations, demo content, database settings."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from content import db, demo, queries, snapshot, visits
from content.models import Announcement, Base, CallerVisit, Project, ProjectUpdate, Revision, Setting
from content.revisions import changes_by


def revisions(session, entity: str) -> list[Revision]:
    return list(session.scalars(select(Revision).where(Revision.entity == entity).order_by(Revision.id)))


def test_every_change_to_a_project_leaves_a_revision_with_author_and_before_after(session) -> None:
    project = session.scalar(select(Project).where(Project.number == 3))
    with changes_by("anna@stadt.example"):
        project.status = "done"
        session.commit()
    latest = revisions(session, "project")[-1]
    assert (latest.action, latest.author, latest.entity_id) == ("update", "anna@stadt.example", str(project.id))
    assert latest.before["status"] == "in_progress" and latest.after["status"] == "done"
    assert latest.before["number"] == latest.after["number"] == 3


def test_creating_and_deleting_content_is_recorded_too(session) -> None:
    with changes_by("editor"):
        item = Announcement(publish_at=datetime(2026, 11, 1, tzinfo=UTC), texts={"de": {"title": "T", "body": "B"}})
        session.add(item)
        session.commit()
        session.delete(item)
        session.commit()
    created, deleted = revisions(session, "announcement")[-2:]
    assert created.action == "create" and created.before is None and created.after["texts"]["de"]["title"] == "T"
    assert deleted.action == "delete" and deleted.after is None and deleted.before["id"] == created.after["id"]


def test_settings_and_updates_are_revisioned_and_an_unchanged_save_is_not(session) -> None:
    before = session.scalar(select(func.count(Revision.id)))
    session.get(Setting, "town").value = "Kaiserslautern"  # the same value
    session.commit()
    assert session.scalar(select(func.count(Revision.id))) == before
    session.get(Setting, "town").value = "Lautern"
    session.add(
        ProjectUpdate(
            project_id=session.scalar(select(Project.id).limit(1)),
            happened_on=date(2026, 11, 2),
            texts={"de": {"text": "x"}},
        )
    )
    session.commit()
    assert [r.action for r in revisions(session, "setting")][-1] == "update"
    assert revisions(session, "setting")[-1].before["value"] == "Kaiserslautern"
    assert revisions(session, "project_update")[-1].after["happened_on"] == "2026-11-02"


def test_times_come_back_in_utc_whatever_zone_they_were_written_in(session) -> None:
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    item = Announcement(publish_at=summer, texts={})
    session.add(item)
    session.commit()
    session.expire_all()
    stored = session.get(Announcement, item.id).publish_at
    assert stored == summer and stored.utcoffset() == timedelta(0)


def test_a_time_without_zone_is_refused_rather_than_guessed(session) -> None:
    session.add(Announcement(publish_at=datetime(2026, 7, 1, 12, 0), texts={}))
    with pytest.raises(Exception, match="naive datetime"):
        session.commit()
    session.rollback()


def test_the_migrations_build_exactly_the_models(app) -> None:
    with app.extensions["content.engine"].connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_the_demo_has_the_nine_first_projects_of_the_leitbild(session) -> None:
    projects = queries.roadmap(session)
    assert [p.number for p in projects] == list(range(1, 10))
    titles = " ".join(p.texts["de"]["title"] for p in projects)
    for word in (
        "Autonomes Fahren",
        "Reallabor",
        "Handel",
        "Lernen",
        "Alter",
        "Bürgerkonto",
        "Drohnen",
        "Büro der Zukunft",
        "Internet",
    ):
        assert word in titles
    assert all(p.texts["en"]["summary"] and p.texts["de"]["summary"] for p in projects)


def test_loading_the_demo_twice_is_refused_unless_asked_to_skip(app) -> None:
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo", "load"])
    assert refused.exit_code != 0 and "hat schon Inhalte" in refused.output
    skipped = runner.invoke(args=["demo", "load", "--if-empty"])
    assert skipped.exit_code == 0
    with app.app_context():
        assert db.session().scalar(select(func.count(Project.id))) == 9


def test_db_upgrade_command_runs_on_a_current_database(app) -> None:
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "sqlite:////srv/instance/hotline.db"),
        ("postgres://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_urls_from_hosting_platforms_are_accepted(given, expected) -> None:
    assert db.database_url(given, "/srv/instance") == expected


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path) -> None:
    engine = db.make_engine("sqlite:///" + str(tmp_path / "x.db"))
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == db.SQLITE_BUSY_TIMEOUT_MS
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_a_call_is_remembered_by_pseudonym_and_the_previous_time_returned(app, clock) -> None:
    book = visits.CallerVisits(app.extensions["content.engine"])
    assert book.note("a" * 64, clock()) == visits.Visit(None, None)
    assert book.note("a" * 64, clock() + timedelta(minutes=1)).last_call_at == clock()  # still in memory
    book.flush()
    other_process = visits.CallerVisits(app.extensions["content.engine"])
    assert other_process.note("a" * 64, clock() + timedelta(minutes=2)).last_call_at == clock() + timedelta(minutes=1)
    assert other_process.note("b" * 64, clock()).last_call_at is None
    book.close()
    other_process.close()


def test_visit_writes_never_move_a_caller_back_in_time(app, clock) -> None:
    late, early = (
        visits.CallerVisits(app.extensions["content.engine"]),
        visits.CallerVisits(app.extensions["content.engine"]),
    )
    late.note("c" * 64, clock() + timedelta(hours=1))
    early.note("c" * 64, clock())
    late.close()
    early.close()  # flushed last, with the older time
    with app.app_context():
        stored = db.session().scalar(select(CallerVisit.last_call_at))
    assert stored == clock() + timedelta(hours=1)


def test_visits_are_written_by_the_writer_thread_within_moments(app, clock) -> None:
    book = visits.CallerVisits(app.extensions["content.engine"])
    book.note("d" * 64, clock())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with app.extensions["content.engine"].connect() as connection:
            if connection.execute(text("SELECT count(*) FROM caller_visit")).scalar():
                break
        time.sleep(0.05)
    else:
        pytest.fail("the visit was never written")
    book.close()


def test_demo_is_dated_relative_to_the_day_it_is_loaded(session) -> None:
    newest = snapshot.load(session, 0).public_news(datetime(2026, 11, 24, 12, tzinfo=UTC))[0]
    assert newest.publish_at.date() == date(2026, 11, 23)
    assert demo.has_content(session)


def test_a_language_chosen_on_the_phone_is_kept_with_the_visit_and_a_call_without_a_choice_keeps_it(app, clock) -> None:
    book = visits.CallerVisits(app.extensions["content.engine"])
    book.note("e" * 64, clock())
    book.choose("e" * 64, "tr", clock())
    assert book.note("e" * 64, clock() + timedelta(minutes=1)) == visits.Visit(clock(), "tr")  # still in memory
    book.close()
    later = visits.CallerVisits(app.extensions["content.engine"])
    assert later.note("e" * 64, clock() + timedelta(days=1)) == visits.Visit(clock() + timedelta(minutes=1), "tr")
    later.flush()  # a call without a choice: the language stays
    assert later.note("e" * 64, clock() + timedelta(days=2)).language == "tr"
    later.choose("e" * 64, "uk", clock() + timedelta(days=2))
    later.close()
    with app.app_context():
        assert db.session().scalar(select(CallerVisit.language)) == "uk"
