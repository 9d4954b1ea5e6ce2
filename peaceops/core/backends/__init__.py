"""Database backends: Django's PostgreSQL and SQLite backends, each with the audit chain's pre-commit step.

Events appended inside a transaction (`peaceops.core.audit.append`) wait in `audit_pending` on the connection and
are chained and written in one step just before the outermost COMMIT, so the chain's head row is locked only for
that last instant instead of for the rest of the writer's transaction: audited reads and other writers no longer
queue behind a long transaction (bench/RESULTS.md, "Audit head lock"). Events queued inside a savepoint that rolls
back are dropped with it; a rolled-back transaction drops them all; a failed write of the events fails the COMMIT
(Django's atomic then rolls the transaction back), so a change never commits without its events.
Settings select these backends in place of Django's (`peaceops.settings`)."""

from __future__ import annotations


class PendingAuditMixin:
    """Holds a transaction's queued audit events and writes them at COMMIT (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit_pending: list = []
        self._audit_marks: dict[str, int] = {}
        self.audit_committing = False

    def _audit_forget(self) -> None:
        self.audit_pending = []
        self._audit_marks = {}

    def commit(self):
        if self.audit_pending:
            from django.db import DatabaseError

            from peaceops.core.audit import write_events

            events, self.audit_pending = self.audit_pending, []
            # The ORM writes the events inside this still-open transaction as it would inside an atomic block:
            # nested atomic blocks then neither commit nor take savepoints of their own.
            self.in_atomic_block = True
            # On PostgreSQL write_events sends the COMMIT with the events (`audit._commit_events`); the COMMIT
            # below then finds the transaction ended and sends nothing.
            self.audit_committing = True
            try:
                write_events(self.alias, events)
            except DatabaseError:
                raise  # Atomic rolls the transaction back
            except Exception as exc:  # anything else must still roll back, not commit half a change
                raise DatabaseError(f"the audit events could not be written: {exc!r}") from exc
            finally:
                self.in_atomic_block = False
                self.audit_committing = False
        self._audit_marks = {}
        return super().commit()

    def rollback(self):
        self._audit_forget()
        return super().rollback()

    def close(self):
        self._audit_forget()
        return super().close()

    def connect(self):
        self._audit_forget()
        return super().connect()

    def savepoint(self):
        sid = super().savepoint()
        if sid is not None:
            self._audit_marks[sid] = len(self.audit_pending)
        return sid

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        mark = self._audit_marks.get(sid)
        if mark is not None:
            del self.audit_pending[mark:]

    def savepoint_commit(self, sid):
        super().savepoint_commit(sid)
        self._audit_marks.pop(sid, None)
