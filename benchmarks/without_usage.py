"""The events benchmark's baseline: the hotline app exactly as it runs, but without its usage log.

Only the benchmark builds it (benchmarks/webhooks.py): there is no setting that switches the
usage figures off, so production cannot lose them by a wrong environment variable.
"""

from flask import Flask

from app import create_app


def create_app_without_usage() -> Flask:
    app = create_app()
    # content.usage.record() notes nothing when the app has no usage log: no event in memory,
    # no writer thread, no batch written. (Events written with a change, record_now, remain.)
    app.extensions.pop("content.usage")
    return app
