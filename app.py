"""The application factory: configuration, secrets, and the packages that make up the hotline."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

import config
import content
import ivr
import sms
import telephony
import web
import worker

DEV_SECRETS_FILE = "dev-secrets.json"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the hotline app: defaults, then the environment, then the test mapping."""
    app = Flask(__name__, instance_path=_instance_path(test_config))
    app.config.from_mapping(config.from_environment(os.environ))
    app.config.from_mapping(
        CLOCK=lambda: datetime.now(UTC),
        JSON_SORT_KEYS=False,
        # Staff sessions: not readable by scripts, not sent with cross-site forms, ended after a working day.
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)

    # Only sent over HTTPS in production (behind the proxy that ProxyFix trusts).
    app.config["SESSION_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"] or is_production(app)
    _ensure_secrets(app)
    app.session_interface = CookieSessions()
    hops = int(app.config["PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask documents wrapping wsgi_app this way
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )

    content.init_app(app)
    telephony.init_app(app)
    web.init_app(app)
    ivr.init_app(app)
    sms.init_app(app)
    worker.init_app(app)
    return app


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the signer built once rather than on every request.

    Building it costs more than a whole cached webhook answer (see benchmarks/webhooks.py).
    """

    def __init__(self) -> None:
        self._signers: dict[tuple[Any, ...], URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self._signers:
            self._signers[keys] = super().get_signing_serializer(app)  # type: ignore[assignment]  # never None: the key is set at start
        return self._signers[keys]


def is_production(app: Flask) -> bool:
    return str(app.config["HOTLINE_ENV"]).lower() == "production"


def _instance_path(test_config: Mapping[str, Any] | None) -> str | None:
    if test_config and test_config.get("INSTANCE_PATH"):
        return str(test_config["INSTANCE_PATH"])
    path: str | None = config.read("HOTLINE_INSTANCE_PATH", os.environ)
    return path


def _ensure_secrets(app: Flask) -> None:
    """Refuse to run production without its secrets; give development stable generated ones."""
    missing = [name for name in config.SECRETS if not app.config.get(name)]
    if not missing:
        return
    if is_production(app):
        raise RuntimeError(
            "Bürgertelefon refuses to start in production without "
            + ", ".join(missing)
            + ". Set them in the environment."
        )
    stored = load_dev_secrets(app.instance_path)
    for name in missing:
        app.config[name] = stored[name]


def load_dev_secrets(instance_path: str) -> dict[str, str]:
    """Return the development secrets kept under instance/, creating them on first use."""
    path = Path(instance_path) / DEV_SECRETS_FILE
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if all(stored.get(name) for name in config.SECRETS):
        return stored
    for name in config.SECRETS:
        stored.setdefault(name, secrets.token_hex(32))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # instance/ also holds the SQLite file
    # Written with owner-only permissions: these sign requests and key the caller pseudonyms.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        json.dump(stored, file, indent=2)
    return stored
