"""`flask outbox run` in a process of its own, on a clock moved by a number of seconds.

News calls ring only in calling hours, so a test or benchmark that runs a real worker process
(to kill it, or to measure it) moves the service's clock to a moment in them, a Tuesday morning,
and lets it run on in real time from there. Everything else is the worker as the Procfile starts
it: the settings from the environment, worker.cli's worker and chores, worker.sending.run.

    python -m tests.worker.clocked_worker --offset SECONDS [--until-idle]
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from app import create_app
from worker import cli
from worker.sending import run


def offset_to(moment: datetime) -> float:
    """The --offset that makes the worker's clock show this moment now (and run on from it)."""
    return (moment - datetime.now(UTC)).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offset", type=float, required=True, help="seconds added to the real time")
    parser.add_argument("--until-idle", action="store_true", help="stop when nothing is left to send")
    args = parser.parse_args()
    shift = timedelta(seconds=args.offset)
    app = create_app({"CLOCK": lambda: datetime.now(UTC) + shift})
    with app.app_context():
        run(cli.make_worker(), until_idle=args.until_idle, chores=cli.make_chores())


if __name__ == "__main__":
    main()
