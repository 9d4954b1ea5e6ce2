"""A user's own password change: every other session and every API token of the account ends with it."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from peaceops.core import credentials


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        # Saving the password revoked the account's tokens and sessions (peaceops.core.accounts); this session,
        # where the user just proved the old password, is kept with a new id.
        response = super().form_valid(form)
        credentials.stamp(self.request, self.request.user)
        return response
