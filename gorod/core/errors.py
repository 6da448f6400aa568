"""Domain errors: every refusal a service makes has a stable code and a translatable message.

The API turns them into 4xx JSON ``{"code", "message", "details"}``; pages show the message next
to the field named in ``field``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import InterfaceError, InternalError, OperationalError
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: ClassVar[str] = "domain_error"
    message: ClassVar[str | Promise] = _("The request cannot be carried out.")
    status: ClassVar[int] = 400

    def __init__(self, message: str | Promise | None = None, *, field: str | None = None, **details: Any):
        self.details: dict[str, Any] = details
        self.field = field
        self._message = message
        super().__init__(str(self.text))

    @property
    def text(self) -> str:
        template = self._message if self._message is not None else self.message
        try:
            return str(template) % self.details if self.details else str(template)
        except (KeyError, ValueError, TypeError):
            return str(template)

    def as_dict(self) -> dict[str, Any]:
        details = {k: (str(v) if isinstance(v, Promise) else v) for k, v in self.details.items()}
        if self.field:
            details["field"] = self.field
        return {"code": self.code, "message": self.text, "details": details}


class NumbersInText(DomainError):
    """A refusal whose whole numbers are amounts (points, roubles): its message groups them as
    the reader's locale does (5 000 баллов, 5,000 points), as the page around it writes them;
    the details keep plain integers for programs. Not for ids (report #12345)."""

    @property
    def text(self) -> str:
        template = self._message if self._message is not None else self.message
        shown = {
            k: number_format(v, force_grouping=True) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in self.details.items()
        }
        try:
            return str(template) % shown
        except (KeyError, ValueError, TypeError):
            return str(template)


class NotFound(DomainError):
    code = "not_found"
    message = _("Not found.")
    status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    message = _("You are not allowed to do this.")
    status = 403


class InvalidInput(DomainError):
    code = "invalid_input"
    message = _("The request is not valid.")
    status = 422


class Conflict(DomainError):
    code = "conflict"
    message = _("This conflicts with the current state.")
    status = 409


# What an unexpected error (a bug, not a refusal) tells the client, next to the request id.
SERVER_ERROR_MESSAGE = _("Something went wrong on our side. Quote the request id if you contact support.")

# A database that does not answer (restarting, failing over, out of connections) is brief and not
# the client's fault: 503 with Retry-After, and the same request (same Idempotency-Key) may be sent again.
DATABASE_UNAVAILABLE_MESSAGE = _("The service is briefly unavailable. Please retry in a few seconds.")
DATABASE_UNAVAILABLE_RETRY_AFTER = 2


# SQLSTATE 25006 read_only_sql_transaction: a write reached a server that is not (or not yet) the
# leader, e.g. PostgreSQL restarted by Patroni in recovery a second before the proxy saw it (ADR 0007).
READ_ONLY_SQL_TRANSACTION = "25006"


def is_database_unavailable(exc: BaseException | None) -> bool:
    """A lost or refused database connection (or a transient lock/serialisation failure), as
    opposed to a bug: ``OperationalError`` and ``InterfaceError`` (a connection already closed),
    and a write refused by a server in recovery during a failover."""
    if isinstance(exc, InternalError):
        return getattr(exc.__cause__, "sqlstate", None) == READ_ONLY_SQL_TRANSACTION
    return isinstance(exc, (OperationalError, InterfaceError))
