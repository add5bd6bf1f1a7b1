"""Fixtures: a real database (SQLite file, or PostgreSQL with TEST_DATABASE_URL), the app, Twilio's part."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, make_url, text

from app import create_app
from content import db, demo, migrate
from content.models import Base
from tests import town
from tests.fake_twilio_api import FakeTwilioApi
from tests.twilio_fake import ACCOUNT_SID, BASE_URL, Caller, Signer, Texter

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT = ACCOUNT_SID
BERLIN = ZoneInfo("Europe/Berlin")
# A Tuesday morning in Kaiserslautern: the office is open.
TUESDAY_MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)


class Clock:
    """The app's sense of now, which a test can set: office hours, holidays, days passing."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> None:
        self.now = datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    """A migrated, empty database for the whole run: PostgreSQL if TEST_DATABASE_URL says so.
    Tests run in several processes (pytest-xdist); each has a database of its own, on PostgreSQL
    one created beside TEST_DATABASE_URL's and named after it ("test_gw1"), dropped at the end."""
    given = db.database_url(
        os.environ.get("TEST_DATABASE_URL") or "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db"), ""
    )
    own = given.startswith("postgresql") and worker_id != "master"
    url = own_database(given, worker_id) if own else given
    yield migrated(url)
    if own:
        drop_database(given, make_url(url).database or "")


def migrated(url: str) -> str:
    """The database at url, emptied and migrated to the newest schema."""
    engine = db.make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()
    return url


def drop_database(url: str, name: str) -> None:
    """Drop the database name on the server of url (whoever is still connected)."""
    admin = db.make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("SET statement_timeout = 0"))
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def own_database(url: str, worker: str) -> str:
    """A database of this test process's own on the server of url, made anew."""
    mine = make_url(url)
    mine = mine.set(database=f"{mine.database}_{worker}")
    drop_database(url, mine.database or "")  # left by a run that was killed
    admin = db.make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{mine.database}"'))
    admin.dispose()
    return mine.render_as_string(hide_password=False)


def empty_database(engine: Engine) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # A busy machine may make this wait: the app's statement and lock limits are for callers.
            connection.execute(text("SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0"))
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


def app_settings(database_url: str, instance_path: str | Path, **more: object) -> dict[str, object]:
    """What a test app is made with: this database, its own instance folder, the test secrets."""
    return {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance_path),
        "SECRET_KEY": "test-secret-key",
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "PSEUDONYM_KEY": "test-pseudonym-key",
        **more,
    }


@pytest.fixture
def clock() -> Clock:
    return Clock(TUESDAY_MORNING)


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str, tmp_path: Path, clock: Clock):
    """The app on the test database, emptied and loaded with the demo content (or the small test town)."""
    app = create_app(app_settings(database_url, tmp_path / "instance", TESTING=True, CLOCK=clock))
    empty_database(app.extensions["content.engine"])
    with app.app_context():
        if request.node.get_closest_marker("small_town"):
            town.load(db.session(), clock().date())
        else:  # without the demo's open poll: tests make the polls they talk about
            demo.load(db.session(), clock().date(), with_poll=False)
        db.session().commit()
    yield app
    app.extensions["telephony.desk"].pool.shutdown(wait=True)
    app.extensions["content.visits"].close()
    app.extensions["content.usage"].close()
    app.extensions["content.engine"].dispose()


def written_visits(app) -> None:
    """Write the caller visits the app collects in memory for a moment (see content.visits)."""
    app.extensions["content.visits"].flush()


def written_events(app) -> None:
    """Write the usage events the app collects in memory for a moment (see content.usage)."""
    app.extensions["content.usage"].flush()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def session(app) -> Iterator:
    """A database session for a test to look at or change content directly."""
    with app.app_context():
        yield db.session()


@pytest.fixture
def signer(client) -> Signer:
    return Signer(client, AUTH_TOKEN)


@pytest.fixture
def caller(signer: Signer) -> Caller:
    return Caller(signer)


@pytest.fixture
def texter(signer: Signer) -> Texter:
    return Texter(signer)


@pytest.fixture
def provider(app, clock: Clock):
    """A fake of Twilio's Messages and Calls APIs on loopback, on the test's clock, with the app's
    real twilio client pointed at it."""
    fake = FakeTwilioApi(ACCOUNT, AUTH_TOKEN, clock=clock).start()
    app.config.update(
        TWILIO_ACCOUNT_SID=ACCOUNT,
        TWILIO_PHONE_NUMBER="+496313651000",
        TWILIO_API_BASE_URL=fake.url,
        PUBLIC_BASE_URL=BASE_URL,
        SMS_PER_SECOND=0,
        CALLS_PER_SECOND=0,
    )
    yield fake
    fake.stop()
