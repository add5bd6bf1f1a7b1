"""Configuration: production refuses to start without secrets; development keeps generated ones."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys

import pytest
from sqlalchemy import text

from app import DEV_SECRETS_FILE, create_app
from content import db, migrate


def test_production_refuses_to_start_without_its_secrets(tmp_path, monkeypatch) -> None:
    for name in ("SECRET_KEY", "TWILIO_AUTH_TOKEN", "PSEUDONYM_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match="TWILIO_AUTH_TOKEN"):
        create_app({"HOTLINE_ENV": "production", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "set"})
    assert not (tmp_path / DEV_SECRETS_FILE).exists()


def test_production_reads_its_secrets_from_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOTLINE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "from-env-secret")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "from-env-token")
    monkeypatch.setenv("PSEUDONYM_KEY", "from-env-pseudonym")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "prod.db"))
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["TWILIO_AUTH_TOKEN"] == "from-env-token"
    assert app.extensions["content.engine"].url.database == str(tmp_path / "prod.db")
    app.extensions["content.engine"].dispose()


def test_development_generates_secrets_once_and_keeps_them_private(tmp_path, monkeypatch) -> None:
    for name in ("SECRET_KEY", "TWILIO_AUTH_TOKEN", "PSEUDONYM_KEY", "HOTLINE_ENV"):
        monkeypatch.delenv(name, raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    for name in ("SECRET_KEY", "TWILIO_AUTH_TOKEN", "PSEUDONYM_KEY"):
        assert len(first.config[name]) >= 32
        assert first.config[name] == second.config[name]
    stored = tmp_path / DEV_SECRETS_FILE
    assert json.loads(stored.read_text())["TWILIO_AUTH_TOKEN"] == first.config["TWILIO_AUTH_TOKEN"]
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    for app in (first, second):
        app.extensions["content.engine"].dispose()


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask():
    """The umask most systems give a login (files 0644, directories 0755 unless asked otherwise)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_make_run_creates_the_sqlite_file_and_its_directory_for_the_owner_alone(
    tmp_path, monkeypatch, usual_umask
) -> None:
    for name in ("SECRET_KEY", "TWILIO_AUTH_TOKEN", "PSEUDONYM_KEY", "HOTLINE_ENV", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance)})  # as make run's `flask db upgrade` does
    engine = app.extensions["content.engine"]
    try:
        migrate.upgrade(engine)
        with engine.connect() as connection:  # SQLite's own files beside it exist while it is open
            connection.execute(text("SELECT 1"))
            files = [instance / "hotline.db", instance / "hotline.db-wal", instance / "hotline.db-shm"]
            assert {file.name: _mode(file) for file in files} == {file.name: 0o600 for file in files}
    finally:
        engine.dispose()
    assert _mode(instance) == 0o700


def test_a_world_readable_sqlite_file_is_made_the_owners_alone(tmp_path, usual_umask) -> None:
    path = tmp_path / "shared" / "hotline.db"
    path.parent.mkdir()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE numbers (number TEXT)")
    connection.commit()  # left open: its -wal and -shm stay beside it
    try:
        assert _mode(path) == 0o644 and _mode(path.with_name("hotline.db-wal")) == 0o644
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{path}",
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "SECRET_KEY": "s",
                "TWILIO_AUTH_TOKEN": "t",
                "PSEUDONYM_KEY": "p",
            }
        )
        app.extensions["content.engine"].dispose()
        assert [_mode(path.with_name("hotline.db" + suffix)) for suffix in ("", "-wal", "-shm")] == [0o600] * 3
        assert _mode(path.parent) == 0o755  # a directory that exists may be shared: it is left alone
    finally:
        connection.close()


def test_keeping_the_file_private_never_drops_the_locks_a_connection_holds(tmp_path) -> None:
    """Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's too:
    a second app made in a process that has the database open must not open the file."""
    path = tmp_path / "hotline.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE numbers (number TEXT)")
    holder.execute("BEGIN IMMEDIATE")  # the write lock, on the file itself (rollback journal mode)
    try:
        db.keep_private(path)
        other = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sqlite3, sys; sqlite3.connect(sys.argv[1], timeout=0).execute('BEGIN IMMEDIATE')",
                str(path),
            ],
            capture_output=True,
            text=True,
        )
        assert "database is locked" in other.stderr  # the other process still has to wait its turn
    finally:
        holder.close()


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("sqlite:////srv/instance/hotline.db", "/srv/instance/hotline.db"),
        ("sqlite:///file:/srv/copy.db?mode=ro&uri=true", "/srv/copy.db"),
        ("sqlite:///relative.db", "relative.db"),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("postgresql+psycopg://u@h/d", None),
    ],
)
def test_the_sqlite_file_is_read_from_the_url(url, file) -> None:
    found = db.sqlite_file(url)
    assert (str(found) if found else None) == file


def test_the_dev_token_command_prints_the_token_but_not_in_production(app) -> None:
    result = app.test_cli_runner().invoke(args=["dev-token"])
    assert result.output.strip() == app.config["TWILIO_AUTH_TOKEN"]
    app.config["HOTLINE_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["dev-token"])
    assert result.exit_code != 0 and app.config["TWILIO_AUTH_TOKEN"] not in result.output


def test_gunicorn_accepts_the_procfiles_configuration(tmp_path) -> None:
    """The Procfile's web process: gunicorn reads gunicorn.conf.py and loads the app."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "HOTLINE_INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/check.db"}
    checked = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "--config", "gunicorn.conf.py", "app:create_app()"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr[-2000:]
