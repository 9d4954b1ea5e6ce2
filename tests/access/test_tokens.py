"""API tokens are stored hashed, shown once, never readable in the admin, and revoked when credentials change."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

CREDENTIALS = {"username": "analyst", "password": "peaceops-demo"}


def _issue(credentials=CREDENTIALS) -> str:
    response = APIClient().post("/api/auth/token/", credentials, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _stored_text() -> str:
    """Every text column of every table, as one string: where a leaked secret would show."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(("core_auditevent", "django_migrations")):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


def test_the_token_is_shown_once_and_stored_only_as_a_digest():
    token = _issue()
    assert len(token) >= 40
    assert token not in _stored_text()
    assert token[:20] not in _stored_text()  # not even a usable part of it
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/places/").status_code == 200


def test_the_admin_cannot_read_or_mint_anyone_s_token(client_for):
    token = _issue()
    admin = client_for("admin")
    for url in ("/admin/authtoken/tokenproxy/", "/admin/authtoken/token/", "/admin/knox/authtoken/add/"):
        assert admin.get(url).status_code in (403, 404), url
    listed = admin.get("/admin/knox/authtoken/")  # whose tokens, until when: to revoke a lost one
    assert listed.status_code == 200 and "analyst" in listed.content.decode()
    assert token not in listed.content.decode() and token[:15] not in listed.content.decode()
    assert token not in admin.get("/admin/").content.decode()


def test_a_new_token_revokes_the_previous_one():
    first = _issue()
    second = _issue()
    old, new = APIClient(), APIClient()
    old.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    new.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert old.get("/api/places/").status_code == 401
    assert new.get("/api/places/").status_code == 200


def test_the_upgrade_deletes_plain_tokens_left_by_the_old_storage():
    """Plain tokens in an upgraded database may have been read by anyone with the admin: deleted, not converted."""
    import importlib

    migration = importlib.import_module("peaceops.core.migrations.0003_forget_plain_api_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id int)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('898fae67157071defc5ace0e0e8bbd7bfbbeac89', NULL, 1)")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.forget_plain_tokens(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")


def test_the_token_query_reads_the_roles_of_this_request(api_for, users):
    """The roles come with the token (one query per API request, peaceops.api.authentication), read afresh each
    request: a group taken away shows on the next request, even without the token being revoked."""
    from django.contrib.auth.models import Group
    from django.test.utils import CaptureQueriesContext

    analyst = api_for("analyst")
    assert analyst.get("/api/ceasefire/incidents/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert analyst.get("/api/ceasefire/incidents/").status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "auth_group"')]
    # Behind rolegrants' back (which would revoke the token): the membership row itself.
    memberships = users["analyst"].groups.through.objects.filter(user=users["analyst"])
    kept = list(memberships.values_list("group_id", flat=True))
    memberships.delete()
    assert analyst.get("/api/ceasefire/incidents/").status_code == 404  # no longer a role that reads them
    users["analyst"].groups.through.objects.bulk_create([
        users["analyst"].groups.through(user=users["analyst"], group_id=g)
        for g in [*kept, Group.objects.get(name="coordinator").pk]])
    assert analyst.get("/api/ceasefire/incidents/").status_code == 200


def test_a_superuser_token_carries_the_admin_role(users):
    from django.contrib.auth.models import User

    from peaceops.api.tokens import issue
    from peaceops.core.roles import ADMIN, roles_of

    admin = users["admin"]
    User.objects.filter(pk=admin.pk).update(is_superuser=True)  # behind rolegrants' back, as a test may
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from peaceops.api.authentication import ExpiringTokenAuthentication

    token = issue(admin)[1]
    request = Request(APIRequestFactory().get("/api/", HTTP_AUTHORIZATION=f"Token {token}"))
    user, _auth = ExpiringTokenAuthentication().authenticate(request)
    assert ADMIN in roles_of(user) and roles_of(user) == frozenset(admin.groups.values_list("name", flat=True)) | {ADMIN}


def test_the_token_query_is_compiled_once_and_gives_the_stored_user_and_token(api_for, users):
    """peaceops.api.prepared: the token query's SQL is kept per connection; the user and token it builds equal
    the stored ones field by field, and a deactivated user is refused on the next request."""
    from django.contrib.auth.models import User
    from django.db import connections
    from django.db.models.sql.compiler import SQLCompiler
    from knox.models import AuthToken
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from peaceops.api import authentication

    analyst = api_for("analyst")
    assert analyst.get("/api/ceasefire/incidents/").status_code == 200
    assert connections["default"].__dict__[authentication._CANDIDATE_ROWS._key][(str,)] is not None
    token = api_for("analyst")._credentials["HTTP_AUTHORIZATION"].split()[1]
    compiled = []
    as_sql = SQLCompiler.as_sql
    SQLCompiler.as_sql = lambda self, *a, **k: compiled.append(self.query.model) or as_sql(self, *a, **k)
    try:
        request = Request(APIRequestFactory().get("/api/", HTTP_AUTHORIZATION=f"Token {token}"))
        user, auth = authentication.ExpiringTokenAuthentication().authenticate(request)
    finally:
        SQLCompiler.as_sql = as_sql
    assert AuthToken not in compiled
    stored_user, stored_token = User.objects.get(pk=users["analyst"].pk), AuthToken.objects.get(pk=auth.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(stored_user, field.attname), field.name
    for field in AuthToken._meta.concrete_fields:
        assert getattr(auth, field.attname) == getattr(stored_token, field.attname), field.name
    assert auth.user is user and user.pk == users["analyst"].pk
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert analyst.get("/api/ceasefire/incidents/").status_code == 401
