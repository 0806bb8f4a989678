"""Audited reads on SQLite: their entries written together, in as few transactions as possible.

A page that only reads still writes its audit entry, and on SQLite every write queues for the
database's one write lock and waits for its own fsync (`synchronous=FULL`). Twenty readers at
once made twenty transactions in a row. Here a request whose session wrote nothing hands its
entries to its process's `GroupCommit` and waits until they are committed: whoever finds no
write under way writes every entry waiting at that moment in one transaction (one lock, one
fsync), the others wait for the write that holds theirs. The answer still goes out only after
its entry is on disk, so a crash right after a read loses nothing.

A request that wrote something commits its entries with its own work, as before; so does
PostgreSQL, where readers never wait on one write lock.
"""

import sqlite3
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


@dataclass
class _Ticket:
    entries: list[dict]
    done: bool = False
    error: BaseException | None = field(default=None, repr=False)


class GroupCommit:
    """Entries from many threads written in as few `flush` calls as possible, each entry once."""

    def __init__(self):
        self._turn = threading.Condition()
        self._waiting: list[_Ticket] = []
        self._busy = False
        self.batches = 0  # how many times `flush` ran (the tests read it)

    @property
    def waiting(self) -> int:
        """Requests waiting for the next write."""
        return len(self._waiting)

    @property
    def writing(self) -> bool:
        return self._busy

    def write(self, entries: list[dict], flush: Callable[[list[dict]], None]) -> None:
        """Return once `entries` are flushed (by this thread or another); raise if that failed."""
        ticket = _Ticket(entries)
        with self._turn:
            self._waiting.append(ticket)
            while self._busy and not ticket.done:
                self._turn.wait()
            if not ticket.done:
                self._busy = True
                batch, self._waiting = self._waiting, []
        if not ticket.done:
            self._flush(batch, flush)
        if ticket.error is not None:
            raise ticket.error

    def _flush(self, batch: list[_Ticket], flush) -> None:
        error = None
        try:
            flush([entry for ticket in batch for entry in ticket.entries])
        except Exception as caught:  # every request in the batch learns of it  # noqa: BLE001
            error = caught
        with self._turn:
            self.batches += 1
            for ticket in batch:
                ticket.done, ticket.error = True, error
            self._busy = False
            self._turn.notify_all()


_groups: "weakref.WeakKeyDictionary[Engine, GroupCommit]" = weakref.WeakKeyDictionary()
_groups_guard = threading.Lock()


def group_for(engine: Engine) -> GroupCommit:
    with _groups_guard:
        group = _groups.get(engine)
        if group is None:
            group = _groups[engine] = GroupCommit()
        return group


def only_read(session: Session) -> bool:
    """The session is on SQLite and has written nothing (no change waiting, no transaction
    begun: here a transaction begins only before the first write)."""
    if session.new or session.dirty or session.deleted:
        return False
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    if session.get_transaction() is None:
        return True
    raw = session.connection().connection.dbapi_connection
    return isinstance(raw, sqlite3.Connection) and not raw.in_transaction
