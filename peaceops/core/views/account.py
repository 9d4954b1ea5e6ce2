"""A user's own password change: every other session and every API token of the account end with it (the
password's save revokes them, peaceops.core.accounts; this session is kept under a new id)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")
