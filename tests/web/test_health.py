"""/healthz: ok only when the database answers and accepts a write, and a SQLite file's disk has room."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from app import create_app
from content import db, migrate
from content.models import Setting
from tests.conftest import app_settings
from web import health

UNREACHABLE_DATABASE = "postgresql://nobody@127.0.0.1:9/none"


def app_on(database_url: str, tmp_path: Path):
    return create_app(app_settings(database_url, tmp_path / "instance", TESTING=True))


def read_only(database_url: str, tmp_path: Path) -> str:
    """The test database opened read-only: a copy of the SQLite file made read-only (chmod 0444 and
    SQLite's mode=ro, which binds root too), or PostgreSQL sessions whose transactions are read-only."""
    path = db.sqlite_file(database_url)
    if path is None:
        joiner = "&" if "?" in database_url else "?"
        return f"{database_url}{joiner}options={quote('-c default_transaction_read_only=on')}"
    copy = tmp_path / "read-only.db"
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    copy.chmod(0o444)
    return f"sqlite:///file:{copy}?mode=ro&uri=true"


def test_healthz_proves_a_write_and_leaves_nothing_behind(client, session) -> None:
    settings = session.scalar(select(func.count()).select_from(Setting))
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok", "database": "ok"})
    assert session.scalar(select(func.count()).select_from(Setting)) == settings


def test_a_read_only_database_is_not_healthy_and_says_why_without_a_trace(database_url, tmp_path, caplog) -> None:
    app = app_on(read_only(database_url, tmp_path), tmp_path)
    try:
        with caplog.at_level(logging.WARNING):
            response = app.test_client().get("/healthz")
    finally:
        app.extensions["content.engine"].dispose()
    assert response.status_code == 503
    assert response.json == {
        "status": "degraded",
        "database": "read-only",
        "reason": "the database answers but is read-only",
    }
    assert [record.getMessage() for record in caplog.records if record.name == "web.health"] == [
        "health check: the database answers but is read-only"
    ]
    assert all(record.exc_info is None for record in caplog.records)


def test_an_unreachable_database_is_not_healthy(tmp_path) -> None:
    app = app_on(UNREACHABLE_DATABASE, tmp_path)
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.json["database"]) == (503, "unreachable")


def test_a_sqlite_database_on_a_full_disk_is_not_healthy(tmp_path, monkeypatch) -> None:
    app = app_on(f"sqlite:///{tmp_path / 'full.db'}", tmp_path)
    migrate.upgrade(app.extensions["content.engine"])
    try:
        assert app.test_client().get("/healthz").status_code == 200
        seen: list[Path] = []

        def full_disk(path: Path):
            seen.append(Path(path))
            return SimpleNamespace(total=10**9, used=10**9 - 4096, free=4096)  # what statvfs says of a full disk

        monkeypatch.setattr(health.shutil, "disk_usage", full_disk)
        response = app.test_client().get("/healthz")
    finally:
        app.extensions["content.engine"].dispose()
    assert (response.status_code, response.json["database"]) == (503, "full")
    assert seen == [tmp_path]  # the disk of the database file


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ("attempt to write a readonly database", "read-only"),
        ("cannot execute INSERT in a read-only transaction", "read-only"),
        ("database or disk is full", "full"),
        ('could not extend file "base/16384/2619": No space left on device', "full"),
        ("database is locked", "locked"),
        ("disk I/O error", "not writable"),
    ],
)
def test_why_a_write_failed_is_told_in_plain_words(message: str, problem: str) -> None:
    assert health.write_problem(message) == problem
    assert health.REASONS[problem]


def test_the_disk_counts_as_full_below_the_room_a_checkpoint_needs() -> None:
    assert health.disk_is_full(health.MIN_FREE_BYTES - 1) and not health.disk_is_full(health.MIN_FREE_BYTES)
