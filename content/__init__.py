"""The content store and the domain rules: everything the phone, SMS and the web share.

No web page, template or telephone provider lives here; those packages build on this one.
"""

from __future__ import annotations

from flask import Flask

from content import cli, db, revisions, snapshot, visits


def init_app(app: Flask) -> None:
    db.init_app(app)
    snapshots = app.extensions["content.snapshot"] = snapshot.SnapshotCache()
    revisions.track(app.extensions["content.sessions"], on_change=snapshots.mark_stale)
    app.extensions["content.visits"] = visits.CallerVisits(app.extensions["content.engine"])
    cli.init_app(app)
