"""Every setting of the service in one place: its environment name, type, default and meaning.

Settings come from the environment (12-factor; Twilio's own names where Twilio has one).
`create_app` reads them through `from_environment`, so every other module finds them in
`app.config` already typed: an integer is an int, a rate a float, a missing value its default.
gunicorn.conf.py reads its own three (PORT, WEB_CONCURRENCY, WEB_THREADS) through `read`.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    meaning: str
    least: float = 0  # numbers: the smallest value that works
    most: float = math.inf  # numbers: the largest
    choices: tuple[str, ...] = ()  # words: the only ones that mean something


SETTINGS = (
    Setting(
        "HOTLINE_ENV",
        str,
        "development",
        "`production` refuses to start without SECRET_KEY, TWILIO_AUTH_TOKEN and PSEUDONYM_KEY",
        choices=("development", "production"),
    ),
    Setting(
        "DATABASE_URL",
        str,
        None,
        "SQLAlchemy URL (postgres:// and postgresql:// accepted); unset: SQLite file instance/hotline.db",
    ),
    Setting("SECRET_KEY", str, None, "signs the staff pages' sessions; generated once in development"),
    Setting("TWILIO_AUTH_TOKEN", str, None, "checks the signature of every webhook; generated once in development"),
    Setting("PSEUDONYM_KEY", str, None, "key of the HMAC that turns numbers into pseudonyms; generated in development"),
    Setting("TELEPHONY_PROVIDER", str, "twilio", "the telephone provider's package under telephony/"),
    Setting("TWILIO_ACCOUNT_SID", str, None, "the Twilio account, for sending SMS and fetching recordings"),
    Setting("TWILIO_MESSAGING_SERVICE_SID", str, None, "sender of outbound SMS (or TWILIO_PHONE_NUMBER)"),
    Setting(
        "TWILIO_PHONE_NUMBER",
        str,
        None,
        "sender of outbound SMS (or TWILIO_MESSAGING_SERVICE_SID), and the number news calls come from",
    ),
    Setting("TWILIO_API_BASE_URL", str, None, "another base URL for Twilio's REST API (the tests' local fake)"),
    Setting(
        "PUBLIC_BASE_URL",
        str,
        None,
        "the public scheme and host Twilio calls, e.g. https://hotline.example.org (and a path a proxy strips)",
    ),
    Setting("PROXY_HOPS", int, 0, "how many reverse proxies to trust for X-Forwarded-*"),
    Setting(
        "WEBHOOK_DEADLINE_SECONDS",
        float,
        8.0,
        "a webhook not done by then answers with its apology (the provider gives up after 15 s)",
        least=1,
        most=14,
    ),
    Setting("SMS_PER_SECOND", float, 10.0, "SMS the outbox worker sends per second at most (0: no pacing)"),
    Setting(
        "CALLS_PER_SECOND",
        float,
        1.0,
        "news calls the outbox worker places per second at most (0: no pacing); Twilio's default is 1 per account",
    ),
    Setting(
        "SMS_PRICE_PER_SEGMENT",
        float,
        0.08,
        "what one SMS (one segment) costs, in euros: the cost staff see before they send news by SMS",
    ),
    Setting(
        "OUTBOX_CONCURRENCY",
        int,
        4,
        "requests to the provider one worker has in flight at once, for SMS and for calls each",
        least=1,
    ),
    Setting(
        "OUTBOX_STALE_SECONDS",
        float,
        60.0,
        "after how long without a heartbeat a worker counts as stopped, and what it left 'sending' is looked up",
        least=0.1,
    ),
    Setting(
        "RECORDINGS_DIR",
        str,
        None,
        "where voice messages are kept, in the city's own storage; unset: instance/recordings",
    ),
    Setting(
        "HOTLINE_INSTANCE_PATH",
        str,
        None,
        "where development secrets, the SQLite file and the last known town profile live; unset: instance/",
    ),
    Setting("PORT", int, 8000, "port gunicorn listens on (make run: 5000)", least=1),
    Setting("WEB_CONCURRENCY", int, multiprocessing.cpu_count() + 1, "gunicorn processes", least=1),
    Setting("WEB_THREADS", int, 4, "gunicorn threads per process", least=1),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}

# Without these, production refuses to start; development generates them once under instance/.
SECRETS = ("SECRET_KEY", "TWILIO_AUTH_TOKEN", "PSEUDONYM_KEY")

# Read by the server (gunicorn.conf.py) or before the app exists, not kept in app.config.
SERVER_ONLY = frozenset({"HOTLINE_INSTANCE_PATH", "PORT", "WEB_CONCURRENCY", "WEB_THREADS"})


_ARTICLE = {int: "a whole number", float: "a number"}


class SettingError(ValueError):
    """A setting in the environment that cannot be used, named with what it should be."""


def read(name: str, environ: Mapping[str, str]) -> Any:
    """One setting from the environment, typed; its default when unset or empty."""
    setting = BY_NAME[name]
    raw = environ.get(name, "").strip()
    if not raw:
        return setting.default
    if setting.type is str:
        if setting.choices and raw not in setting.choices:
            raise SettingError(f"{name} must be one of {', '.join(setting.choices)}, not {raw!r}")
        return raw
    try:
        value = setting.type(raw)
    except ValueError:
        raise SettingError(f"{name} must be {_ARTICLE[setting.type]} ({setting.meaning}), not {raw!r}") from None
    if not math.isfinite(value) or not setting.least <= value <= setting.most:
        most = f" and at most {setting.most:g}" if math.isfinite(setting.most) else ""
        limits = f"at least {setting.least:g}{most}"
        raise SettingError(f"{name} must be a number {limits} ({setting.meaning}), not {raw!r}")
    return value


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The app's settings: each one typed, with its default where the environment has none."""
    return {setting.name: read(setting.name, environ) for setting in SETTINGS if setting.name not in SERVER_ONLY}
