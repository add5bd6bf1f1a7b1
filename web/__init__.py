"""What a browser shows: the public pages and feeds, the staff pages, the flyer, the simulator."""

from __future__ import annotations

from flask import Flask

from web import flyer, health, pages, public, simulator, staff, terminal
from web import ringing as ringing  # its routes are the simulator's: importing it adds them


def init_app(app: Flask) -> None:
    pages.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(simulator.bp)  # with the ringing phone's routes (web.ringing)
    app.register_blueprint(flyer.bp)
    staff.init_app(app)
    terminal.init_app(app)
    # The public pages, feeds and health check answer within the deadline, as the webhooks do.
    pages.answered_in_time(app, (health.bp.name, public.bp.name))
