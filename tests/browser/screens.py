"""Helpers the browser tests share to work the capture screen like a worker does."""

import re

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from companion.extensions import db
from companion.models import Capture


class Taps:
    """Clicks through this, so the test counts every tap a worker makes."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def chip(page, label):
    """A marker chip on the capture screen, by its label."""
    return page.locator("label.chip", has_text=label)


def rating(page, legend, value):
    """One of the 1-5 segments of a rating group (Goals, Tasks, Bond)."""
    group = page.get_by_role("group", name=re.compile(f"^{legend}"))
    return group.locator("label.segment", has_text=re.compile(f"^{value}$"))


def form_key(page):
    """The idempotency key the capture form was rendered with."""
    return page.locator("#capture-form input[name=idempotency_key]").input_value()


def captures_with_key(live_app, key):
    with live_app.app_context():
        return db.session.scalars(
            select(Capture).options(joinedload(Capture.meeting))
            .where(Capture.idempotency_key == key)
        ).all()
