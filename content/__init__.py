"""The shared content store: models, queries, migrations, and (later) the staff and public pages."""

from __future__ import annotations

from flask import Flask

from content import cli, db, health, revisions


def init_app(app: Flask) -> None:
    db.init_app(app)
    revisions.track(app.extensions["content.sessions"])
    app.register_blueprint(health.bp)
    cli.init_app(app)
