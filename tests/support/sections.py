"""The client page's history sections: only the open one is written into the page; each
section's body has its own URL (/clients/<id>/<section>), alone for htmx."""

SECTIONS = ("meetings", "signs", "milestones", "ratings", "phase", "workers")


def _text(response, status=200) -> str:
    assert response.status_code == status, response.status_code
    return response.get_data(as_text=True)


def section_page(client, client_id: int, section: str) -> str:
    """The client page with `section` open, as its link opens it without JavaScript."""
    return _text(client.get(f"/clients/{client_id}/{section}"))


def section_body(client, client_id: int, section: str) -> str:
    """The body htmx fetches when a closed section is first opened."""
    return _text(client.get(f"/clients/{client_id}/{section}", headers={"HX-Request": "true"}))


def everything_shown(client, client_id: int) -> str:
    """The page and every section's body: all a reader of the client can open, for tests that
    check something is nowhere (blindness)."""
    return "\n".join([_text(client.get(f"/clients/{client_id}")),
                      *(section_body(client, client_id, section) for section in SECTIONS)])
