"""The capture form as a browser would post it: its key read from the page, every field filled."""

import re

from tests.support import team_today

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def form_key(client, url: str) -> str:
    """Open a capture form and return the idempotency key it was served with."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return KEY.search(page.get_data(as_text=True)).group(1)


def capture_form(world, key: str, client_name: str = "shared", **changes) -> dict:
    """A held meeting today at 10:00 with three readiness markers and all three ratings."""
    return {
        "idempotency_key": key,
        "client_id": str(world.clients[client_name]),
        "attendance": "held",
        "held_on": team_today().isoformat(),
        "starts_at": "10:00",
        "length_minutes": "60",
        "readiness": ["relaxed", "open_posture", "change_talk_up"],
        "warning": [],
        "rating_goals": "4",
        "rating_tasks": "3",
        "rating_bond": "5",
        "next_step": "",
        "note": "",
        "co_worker_id": "",
    } | changes
