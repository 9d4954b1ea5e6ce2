"""Background jobs of the returns module (django-tasks; `peaceops serve` runs the worker beside the web server).

A search of the whole registry for duplicates takes tens of seconds on a real registry: longer than a browser
or a proxy waits for one page. The page enqueues it and polls for the result."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import task

from peaceops.returns.services import duplicates


@task()
def search_duplicates(user_id: int | None, threshold: float) -> dict:
    """The search's figures, or {"error": ...} with the message a refused search gives (nothing stored)."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        result = duplicates.find_duplicates(user, threshold)
    except ValidationError as exc:
        return {"error": " ".join(exc.messages)}
    return {k: v for k, v in result.as_dict().items() if k != "summary"}
