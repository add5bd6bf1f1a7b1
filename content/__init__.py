"""The shared content store: models, queries, migrations, the staff pages and the public pages."""

from __future__ import annotations

from flask import Flask

from content import cli, db, flyer, health, public, revisions, simulator, snapshot, staff, terminal, visits, web


def init_app(app: Flask) -> None:
    db.init_app(app)
    snapshots = app.extensions["content.snapshot"] = snapshot.SnapshotCache()
    revisions.track(app.extensions["content.sessions"], on_change=snapshots.mark_stale)
    app.extensions["content.visits"] = visits.CallerVisits(app.extensions["content.engine"])
    web.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(simulator.bp)
    app.register_blueprint(flyer.bp)
    staff.init_app(app)
    cli.init_app(app)
    terminal.init_app(app)
