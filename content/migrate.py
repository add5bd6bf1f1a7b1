"""Database migrations (Alembic), run against the app's engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from content.db import without_statement_timeout

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def run(engine: Engine, action: str, *args: str, **options: object) -> None:
    """Run an Alembic command ("upgrade", "downgrade", "revision", …) inside one transaction."""
    config = alembic_config()
    with engine.begin() as connection:
        without_statement_timeout(connection)
        config.attributes["connection"] = connection
        getattr(command, action)(config, *args, **options)


def upgrade(engine: Engine, revision: str = "head") -> None:
    run(engine, "upgrade", revision)
