"""Group commit for SQLite: writers queue in the kernel, and flush the WAL after the write lock.

With ``synchronous=FULL`` SQLite flushes the WAL to disk inside COMMIT, while it still holds
the database's one write lock. The flush is most of a commit (about 200 µs on the reference
machine's disk, against ~60 µs for the rest of an award), so writers take turns at the disk one
by one, and a writer that finds the lock taken sleeps in SQLite's busy handler for 1, 2, 5 ms…
while the lock is free again within a fraction of that.

A connection with group commit does two things instead, for each transaction it begins:

- It takes a turn: an exclusive ``flock`` on ``<database>-writer`` from before BEGIN until the
  COMMIT or ROLLBACK. Waiting writers block in the kernel and the next one wakes as soon as the
  turn is released, instead of polling with sleeps. SQLite's own locking still decides who
  writes; the turn only queues this backend's writers ahead of it (another program that writes
  to the file waits on SQLite's lock as before).
- It commits with ``synchronous=NORMAL`` (the WAL is written, not yet flushed), releases the
  turn, and then flushes the WAL itself (``fdatasync``) before ``commit()`` returns. Writers
  that committed meanwhile share that flush, or theirs: one disk flush covers every commit
  written before it, as in PostgreSQL's group commit.

What it keeps, and what it changes:

- A commit has reached the disk when ``commit()`` returns, as with FULL: nothing that a caller
  was told is done is lost to a power cut. If the flush fails, ``commit()`` raises.
- The WAL is replayed in order and each frame's checksum covers the frames before it, so after
  a power cut the database holds a prefix of the commits: never a later one without an earlier.
- The difference from FULL: for the length of one flush, other connections can already read a
  commit that is not yet on disk. If the power fails in that window they have seen a state that
  is gone after the restart, and its writer was never told it succeeded (so an
  ``Idempotency-Key`` retry applies it again). PostgreSQL behaves the same way with
  ``synchronous_commit=off`` or with synchronous replicas. GOROD_SQLITE_GROUP_COMMIT=0 turns
  this off, so that SQLite flushes inside the lock again.
- Outside transactions the connection stays at FULL: a statement in autocommit mode is flushed
  by SQLite itself, as before.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from typing import Any

# Paths whose turn the current thread holds, on any of its connections: a second connection of
# the same thread must not wait for a turn that only this thread can give back. It goes to
# SQLite's lock instead, whose busy timeout ends in "database is locked", as without turns.
_held = threading.local()


def _held_paths() -> set[str]:
    paths: set[str] | None = getattr(_held, "paths", None)
    if paths is None:
        paths = _held.paths = set()
    return paths


class GroupCommit:
    """One SQLite connection's turns and WAL flushes (see the module's docstring)."""

    def __init__(self, database: str) -> None:
        self.turn_path = f"{database}-writer"
        self.wal_path = f"{database}-wal"
        self._turn_fd: int | None = None
        self._wal_fd: int | None = None
        self._holding = False
        self._active = False

    def begin(self, connection: Any) -> None:
        """Before BEGIN: commit without SQLite's flush, and wait for this writer's turn."""
        connection.execute("PRAGMA synchronous=NORMAL")
        self._active = True
        held = _held_paths()
        if self.turn_path in held:
            return
        if self._turn_fd is None:
            self._turn_fd = os.open(self.turn_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._turn_fd, fcntl.LOCK_EX)
        self._holding = True
        held.add(self.turn_path)

    def end(self, connection: Any, *, committed: bool) -> None:
        """After COMMIT or ROLLBACK: give the turn to the next writer, then flush what this
        connection committed. Raises the driver's OperationalError when the flush fails."""
        if not self._active:
            return
        self._active = False
        self._release()
        connection.execute("PRAGMA synchronous=FULL")
        if committed:
            self._flush()

    def close(self) -> None:
        self._active = False
        self._release()
        for fd in (self._turn_fd, self._wal_fd):
            if fd is not None:
                os.close(fd)
        self._turn_fd = self._wal_fd = None

    def _release(self) -> None:
        if self._holding and self._turn_fd is not None:
            self._holding = False
            _held_paths().discard(self.turn_path)
            fcntl.flock(self._turn_fd, fcntl.LOCK_UN)

    def _flush(self) -> None:
        # The WAL file stays the same file while this connection is open (SQLite deletes it
        # only when the last connection closes), so the descriptor is opened once.
        try:
            if self._wal_fd is None:
                self._wal_fd = os.open(self.wal_path, os.O_RDONLY | os.O_CLOEXEC)
            os.fdatasync(self._wal_fd)
        except OSError as error:
            # After a failed flush the kernel may already count the pages as written, so a
            # second try would prove nothing: the commit's fate is unknown, and the caller
            # must hear so, like a lost connection to a server database.
            if self._wal_fd is not None:
                os.close(self._wal_fd)
                self._wal_fd = None
            raise sqlite3.OperationalError(
                f"the commit may not have reached the disk: flushing {self.wal_path} failed ({error})"
            ) from error
