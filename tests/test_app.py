"""Configuration: production refuses to start without secrets; development keeps generated ones."""

from __future__ import annotations

import json
import stat

import pytest

from app import DEV_SECRETS_FILE, create_app


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


def test_the_dev_token_command_prints_the_token_but_not_in_production(app) -> None:
    result = app.test_cli_runner().invoke(args=["dev-token"])
    assert result.output.strip() == app.config["TWILIO_AUTH_TOKEN"]
    app.config["HOTLINE_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["dev-token"])
    assert result.exit_code != 0 and app.config["TWILIO_AUTH_TOKEN"] not in result.output


def test_healthz_reports_the_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


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
