"""Audited reads on SQLite write their entries together: each entry once, in fewer
transactions than readers, the chain unbroken; a request that wrote commits its own."""

import threading
import time

from sqlalchemy import func, select

from companion import audit
from companion.audit.batches import GroupCommit, group_for
from companion.extensions import db
from companion.models import AuditEntry
from tests.conftest import AuthActions
from tests.support.forms import capture_form, form_key


def _wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_entries_from_many_threads_are_each_written_once_in_two_batches():
    group, flushed, readers = GroupCommit(), [], 12

    def flush(entries):
        if not flushed:  # the first writer holds the write until every other one is waiting
            _wait_until(lambda: group.waiting == readers - 1)
        flushed.append(list(entries))

    threads = [threading.Thread(target=group.write, args=([{"n": n}, {"n": n + 100}], flush))
               for n in range(readers)]
    threads[0].start()
    _wait_until(lambda: group.waiting == 0 and group.writing)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert group.batches == 2
    assert len(flushed[1]) == 2 * (readers - 1)
    written = sorted(entry["n"] for batch in flushed for entry in batch)
    assert written == sorted([*range(readers), *range(100, 100 + readers)])


def test_a_failed_write_reaches_every_request_of_its_batch_and_the_next_write_works():
    group, outcomes, calls = GroupCommit(), [], []

    def failing(entries):
        calls.append(len(entries))
        if len(calls) == 1:  # the others arrive while the first write is under way
            _wait_until(lambda: group.waiting == 2)
        raise RuntimeError("disk full")

    def write(entries, flush):
        try:
            group.write(entries, flush)
            outcomes.append("written")
        except RuntimeError as error:
            outcomes.append(str(error))

    first = threading.Thread(target=write, args=([{"n": 0}], failing))
    first.start()
    _wait_until(lambda: group.writing)
    others = [threading.Thread(target=write, args=([{"n": n}], failing)) for n in (1, 2)]
    for thread in others:
        thread.start()
    for thread in (first, *others):
        thread.join(10)
    # the first batch (one reader) failed; the two waiting formed the next, which failed too
    assert calls == [1, 2]
    assert outcomes == ["disk full"] * 3
    kept = []
    group.write([{"n": 9}], kept.extend)
    assert kept == [{"n": 9}]


def _count(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == action))


def test_a_read_goes_to_the_batches_and_a_write_commits_its_own_entries(
        app, client, world, sign_in, engine_name):
    sign_in("w1")
    shared = world.clients["shared"]
    with app.app_context():
        group = group_for(db.engine)
    before = group.batches
    assert client.get(f"/clients/{shared}").status_code == 200
    assert client.get("/clients/999999").status_code == 404  # the refusal is audited too
    assert group.batches - before == (2 if engine_name == "sqlite" else 0)
    form = capture_form(world, form_key(client, f"/clients/{shared}/capture"))  # a read too
    before, saved_before = group.batches, _count(app, "capture.created")
    answer = client.post(f"/clients/{shared}/capture", data=form)
    assert answer.status_code == 303
    assert group.batches == before  # the save committed its entries with the capture
    assert _count(app, "capture.created") == saved_before + 1
    with app.app_context():
        assert audit.verify(db.session.connection(), audit.chain_key()).intact


def test_many_readers_at_once_leave_every_entry_and_an_unbroken_chain(app, world):
    """Eight browsers open the same client five times each, all at once (real threads,
    real SQLite file): forty entries, none lost or doubled, the chain intact."""
    shared, readers, rounds = world.clients["shared"], 8, 5
    clients = [app.test_client() for _ in range(readers)]
    for browser in clients:
        AuthActions(browser).sign_in("w1")
    start, statuses = threading.Barrier(readers), []

    def read(browser):
        start.wait()
        statuses.extend(browser.get(f"/clients/{shared}").status_code for _ in range(rounds))

    before = _count(app, "client.view")
    threads = [threading.Thread(target=read, args=(browser,)) for browser in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [200] * readers * rounds
    assert _count(app, "client.view") - before == readers * rounds
    with app.app_context():
        assert audit.verify(db.session.connection(), audit.chain_key()).intact
