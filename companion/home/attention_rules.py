"""The judgement behind "needs attention", as plain functions over rows already read."""

from collections import defaultdict
from datetime import date, timedelta

from companion import suggestions
from companion.clock import to_local
from companion.suggestions.observations import WARNINGS

LIVE_WARNING_DAYS = 14  # a warning sign seen this recently is still live
UNSEEN_DAYS = 21  # three weeks without a meeting that took place
SUGGESTION_OPEN_DAYS = 7  # a suggestion shown this long without a decision


def crisis_and_warnings(clients, captures, today: date, labels, make) -> dict[str, list]:
    """Clients in crisis (with any live warning signs named), then other clients whose
    captures of the last two weeks show warning signs; newest sign first."""
    signs: dict[int, dict[str, date]] = defaultdict(dict)
    since = today - timedelta(days=LIVE_WARNING_DAYS)
    for capture in captures:
        if capture.held_on >= since:
            for mark in WARNINGS.intersection(capture.marks or ()):
                seen = signs[capture.meeting.client_id]
                seen[mark] = max(seen.get(mark, capture.held_on), capture.held_on)
    crisis, warning = [], []
    for client in clients.values():
        found = signs.get(client.id, {})
        words = ", ".join(labels.get(m, m) for m in sorted(found, key=found.get, reverse=True))
        last = max(found.values(), default=None)
        if client.phase == "crisis":
            crisis.append(make("crisis", client, day=last, detail=words))
        elif found:
            warning.append(make("warning", client, day=last, detail=words))
    warning.sort(key=lambda item: item.day, reverse=True)
    return {"crisis": crisis, "warning": warning}


def open_suggestions(clients, captures, changes, decisions, today: date, labels,
                     make) -> list:
    """Clients whose rules have suggested the same move for a week or more, undecided since."""
    by_client = defaultdict(list)
    for capture in captures:
        by_client[capture.meeting.client_id].append(_observation(capture))
    latest_change = {}
    for change in changes:  # newest first
        latest_change.setdefault(change.client_id, change)
    decided = defaultdict(list)
    for decision in decisions:
        decided[(decision.client_id, decision.suggestion)].append(decision.last_capture_id or 0)
    week_ago = today - timedelta(days=SUGGESTION_OPEN_DAYS)
    found = []
    for client_id, history in by_client.items():
        client = clients[client_id]
        change = latest_change.get(client_id)
        if change is not None and change.to_phase != client.phase:
            change = None
        now = _suggest(client, history, today, change, labels)
        then = _suggest(client, [o for o in history if o.held_on <= week_ago], week_ago,
                        change, labels)
        if not (now.actionable and then.actionable and now.key == then.key):
            continue
        if change is not None and to_local(change.changed_at).date() > week_ago:
            continue  # the phase changed within the week: the suggestion is newer than that
        if any(seen >= (then.last_capture_id or 0) for seen in decided[(client_id, now.key)]):
            continue
        found.append(make("suggestion", client, detail=now.to_phase or now.kind))
    return sorted(found, key=lambda item: item.client.code)


def _suggest(client, history, day, change, labels):
    return suggestions.suggest(
        client.phase, history, day,
        phase_since=to_local(change.changed_at).date() if change else None,
        phase_before_crisis=change.from_phase if change else None,
        labels=labels,
    )


def _observation(capture) -> suggestions.Observation:
    return suggestions.Observation(
        capture_id=capture.id, meeting_id=capture.meeting_id, author=str(capture.author_id),
        held_on=capture.held_on, attendance=capture.attendance,
        marks=frozenset(capture.marks or ()), goals=capture.rating_goals,
        tasks=capture.rating_tasks, bond=capture.rating_bond,
    )
