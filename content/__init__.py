"""The content store and the domain rules: everything the phone, SMS and the web share.

No web page, template or telephone provider lives here; those packages build on this one.
Importing a part (say content.sms_text) loads only that part and what it needs: the store itself
is set up by init_app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Open the database, keep revisions and the content snapshot, add the operator commands."""
    from content import cli, db, revisions, snapshot, usage, visits

    db.init_app(app)
    snapshots = app.extensions["content.snapshot"] = snapshot.SnapshotCache()
    revisions.track(app.extensions["content.sessions"], on_change=snapshots.mark_stale)
    app.extensions["content.visits"] = visits.CallerVisits(app.extensions["content.engine"])
    app.extensions["content.usage"] = usage.UsageLog(app.extensions["content.engine"])
    cli.init_app(app)
