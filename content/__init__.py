"""The shared content store: models, queries, migrations, and (later) the staff and public pages."""

from __future__ import annotations

from flask import Flask

from content import cli, db, health, revisions, snapshot, visits


def init_app(app: Flask) -> None:
    db.init_app(app)
    snapshots = app.extensions["content.snapshot"] = snapshot.SnapshotCache()
    revisions.track(app.extensions["content.sessions"], on_change=snapshots.mark_stale)
    app.extensions["content.visits"] = visits.CallerVisits(app.extensions["content.engine"])
    app.register_blueprint(health.bp)
    cli.init_app(app)
