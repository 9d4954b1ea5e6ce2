"""Who is acting and in which request: set by middleware and commands, read by the audit chain."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("peaceops_actor", default="")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("peaceops_request_id", default="")


def current_actor() -> str:
    return _actor.get()


def current_request_id() -> str:
    return _request_id.get()


def set_actor(actor: str) -> contextvars.Token:
    """For the request's whole life (middleware, authentication): the returned token undoes it."""
    return _actor.set(actor)


def reset_actor(token: contextvars.Token) -> None:
    _actor.reset(token)


def set_request_id(request_id: str) -> contextvars.Token:
    return _request_id.set(request_id)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


@contextmanager
def acting_as(actor: str, request_id: str = ""):
    """Attribute audit events inside the block to `actor` (a username, or e.g. "system:scenario")."""
    actor_token = _actor.set(actor)
    request_token = _request_id.set(request_id)
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _request_id.reset(request_token)
