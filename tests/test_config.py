"""Settings: read typed from the environment, with clear words for a value that cannot be used."""

from __future__ import annotations

from pathlib import Path

import pytest

import config
from app import create_app


def test_unset_settings_take_their_documented_defaults() -> None:
    settings = config.from_environment({})
    assert settings["SMS_PER_SECOND"] == 10.0
    assert settings["OUTBOX_CONCURRENCY"] == 4
    assert settings["PROXY_HOPS"] == 0
    assert settings["TELEPHONY_PROVIDER"] == "twilio"
    assert settings["DATABASE_URL"] is None


def test_numbers_from_the_environment_arrive_as_numbers() -> None:
    settings = config.from_environment({"SMS_PER_SECOND": "2.5", "OUTBOX_CONCURRENCY": " 8 ", "PROXY_HOPS": "1"})
    assert (settings["SMS_PER_SECOND"], settings["OUTBOX_CONCURRENCY"], settings["PROXY_HOPS"]) == (2.5, 8, 1)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("PROXY_HOPS", "two"),
        ("OUTBOX_CONCURRENCY", "4.5"),
        ("SMS_PER_SECOND", "-1"),
        ("HOTLINE_ENV", "prod"),
        ("OUTBOX_CONCURRENCY", "0"),
        ("SMS_PER_SECOND", "nan"),
        ("SMS_PER_SECOND", "inf"),
        ("WEBHOOK_DEADLINE_SECONDS", "0"),
        ("WEBHOOK_DEADLINE_SECONDS", "30"),
    ],
)
def test_an_unusable_value_stops_the_start_and_names_the_setting(name: str, raw: str) -> None:
    with pytest.raises(config.SettingError, match=name):
        config.from_environment({name: raw})


def test_the_app_refuses_to_start_with_an_unusable_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTBOX_CONCURRENCY", "many")
    with pytest.raises(config.SettingError, match="OUTBOX_CONCURRENCY must be a whole number"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_the_readme_documents_every_setting() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    missing = [setting.name for setting in config.SETTINGS if f"`{setting.name}`" not in readme]
    assert missing == []


@pytest.mark.parametrize("provider", ["provider", "voice", "../x", "os", "nope", "__init__"])
def test_the_app_refuses_to_start_with_a_provider_it_cannot_talk_through(
    provider: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEPHONY_PROVIDER", provider)
    with pytest.raises(ValueError, match="TELEPHONY_PROVIDER must name a provider's package"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_the_provider_may_be_written_in_capitals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEPHONY_PROVIDER", "Twilio")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["TELEPHONY_PROVIDER"] == "Twilio"
    app.extensions["content.engine"].dispose()
