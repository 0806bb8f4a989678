"""Names the templates share: phase and part labels."""

from flask import Flask

from companion.phases import PARTS, PHASES


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(phase_label=PHASES.get, part_label=PARTS.get)
