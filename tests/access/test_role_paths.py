"""Every path to a role: no administrator can give itself (or anyone, alone) a role that reads case files."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from peaceops.core.models import AuditEvent, RoleChange
from peaceops.core.roles import roles_of
from tests.access.conftest import make_account, signed_in

pytestmark = pytest.mark.django_db


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def _change_form(user: User, **overrides) -> dict:
    data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "is_active": "on", "last_login_0": "", "last_login_1": "",
            "date_joined_0": "2020-11-10", "date_joined_1": "00:00:00"}
    data.update(overrides)
    return data


def test_the_admin_site_cannot_make_anyone_a_coordinator_or_superuser(users, client_for):
    admin = client_for("admin")
    coordinator = Group.objects.get(name="coordinator")
    totp_view = Permission.objects.get(codename="view_totpdevice")
    response = admin.post(f"/admin/auth/user/{users['admin'].pk}/change/", _change_form(
        users["admin"], groups=[coordinator.pk], user_permissions=[totp_view.pk], is_superuser="on",
        is_staff="on"))
    assert response.status_code in (200, 302)
    admin_now = _fresh(users["admin"])
    assert "coordinator" not in roles_of(admin_now) and not admin_now.is_superuser
    assert not admin_now.user_permissions.exists()
    page = admin.get(f"/admin/auth/user/{users['analyst'].pk}/change/").content.decode()
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page
    assert 'name="is_superuser"' not in page


def test_groups_permissions_and_authenticators_are_not_in_the_admin(users, client_for):
    TOTPDevice.objects.create(user=users["exchange_officer"], name="phone", confirmed=True)
    admin = client_for("admin")
    for url in ("/admin/auth/group/", f"/admin/auth/group/{Group.objects.get(name='coordinator').pk}/change/",
                "/admin/otp_totp/totpdevice/", "/admin/auth/permission/"):
        assert admin.get(url).status_code == 404, url


def test_model_layer_refuses_role_changes_outside_the_four_eyes_service(users):
    coordinator = Group.objects.get(name="coordinator")
    with pytest.raises(PermissionDenied), transaction.atomic():
        users["admin"].groups.add(coordinator)
    with pytest.raises(PermissionDenied), transaction.atomic():
        coordinator.user_set.add(users["admin"])
    with pytest.raises(PermissionDenied), transaction.atomic():
        users["admin"].user_permissions.add(Permission.objects.get(codename="view_totpdevice"))
    with pytest.raises(PermissionDenied), transaction.atomic():
        Group.objects.get(name="admin").permissions.add(Permission.objects.get(codename="view_totpdevice"))
    admin = users["admin"]
    admin.is_superuser = True
    with pytest.raises(PermissionDenied), transaction.atomic():
        admin.save()
    assert roles_of(_fresh(users["admin"])) == {"admin"}


def test_the_admin_cannot_set_the_password_of_a_case_reading_account(users, client_for):
    admin = client_for("admin")
    before = _fresh(users["coordinator"]).password
    response = admin.post(f"/admin/auth/user/{users['coordinator'].pk}/password/",
                          {"password1": "taken-over-2020!", "password2": "taken-over-2020!",
                           "usable_password": "true"}, follow=True)
    assert "cannot set its password" in response.content.decode()
    assert _fresh(users["coordinator"]).password == before
    # An account without such a role (a monitor) may get a new password from an administrator.
    ok = admin.post(f"/admin/auth/user/{users['monitor'].pk}/password/",
                    {"password1": "field-reset-2020!", "password2": "field-reset-2020!", "usable_password": "true"})
    assert ok.status_code == 302 and _fresh(users["monitor"]).check_password("field-reset-2020!")


def test_a_grant_waits_for_a_second_administrator_and_is_audited(users, client_for, second_admin, newcomer):
    first = client_for("admin")
    response = first.post("/access/", {"user": "newcomer", "kind": "grant", "role": "coordinator",
                                       "reason": "Joins the operations room"})
    assert response.status_code == 302
    change = RoleChange.objects.get(user=newcomer)
    assert change.status == "pending" and "coordinator" not in roles_of(_fresh(newcomer))
    # The requester cannot approve it; the grantee neither (tested below); a second administrator can.
    first.post(f"/access/{change.pk}/approve/")
    assert "coordinator" not in roles_of(_fresh(newcomer))
    approved = signed_in(second_admin).post(f"/access/{change.pk}/approve/", {"note": "Checked with HR"})
    assert approved.status_code == 302
    assert "coordinator" in roles_of(_fresh(newcomer))
    event = AuditEvent.objects.filter(model="auth.User", object_id=str(newcomer.pk),
                                      detail__role_change=change.pk, detail__status="applied").get()
    assert event.actor == "admin2"
    assert event.detail["role"] == "coordinator" and event.detail["account"] == "newcomer"
    assert event.detail["requested_by"] == "admin" and event.detail["decided_by"] == "admin2"
    assert "granted" in event.object_repr


def test_nobody_grants_a_role_to_themselves(users, client_for, second_admin):
    admin = client_for("admin")
    refused = admin.post("/access/", {"user": "admin", "kind": "grant", "role": "coordinator", "reason": "x"})
    assert refused.status_code == 400 and "own account" in refused.content.decode()
    assert not RoleChange.objects.exists()
    # Asked by a second administrator for the first: the first (the grantee) cannot approve it.
    signed_in(second_admin).post("/access/", {"user": "admin", "kind": "grant", "role": "coordinator",
                                              "reason": "Covers the night shift"})
    change = RoleChange.objects.get()
    page = admin.get("/access/").content.decode()
    assert "another administrator decides" in page
    admin.post(f"/access/{change.pk}/approve/")
    assert "coordinator" not in roles_of(_fresh(users["admin"]))
    assert RoleChange.objects.get().status == "pending"


def test_role_changes_alert_admins_and_coordinators_and_nobody_else(users, client_for, newcomer):
    client_for("admin").post("/access/", {"user": "newcomer", "kind": "grant", "role": "exchange_officer",
                                          "reason": "Detention files"})
    for role in ("admin", "coordinator"):
        dashboard = client_for(role).get("/dashboard/").content.decode()
        assert "Role requests waiting" in dashboard, role
        page = client_for(role).get("/access/").content.decode()
        assert "newcomer" in page and "Detention files" in page
    assert "Approve" not in client_for("coordinator").get("/access/").content.decode()
    assert client_for("coordinator").post("/access/", {"user": "newcomer", "kind": "grant", "role": "analyst",
                                                       "reason": "x"}).status_code == 403
    for role in ("analyst", "exchange_officer", "monitor"):
        assert client_for(role).get("/access/").status_code == 404
        assert "Role requests waiting" not in client_for(role).get("/dashboard/").content.decode()


def test_other_roles_and_removals_apply_at_once_and_are_audited(users, client_for, newcomer):
    admin = client_for("admin")
    admin.post("/access/", {"user": "newcomer", "kind": "grant", "role": "monitor", "reason": "Patrol team"})
    assert roles_of(_fresh(newcomer)) == {"monitor"}
    admin.post("/access/", {"user": "returns_officer", "kind": "revoke", "role": "returns_officer",
                            "reason": "Left the mission"})
    assert "returns_officer" not in roles_of(_fresh(users["returns_officer"]))
    assert AuditEvent.objects.filter(detail__account="returns_officer", detail__change="revoke",
                                     detail__status="applied", actor="admin").exists()


def test_a_granted_admin_role_opens_the_admin_site_and_a_removed_one_closes_it(client_for, second_admin,
                                                                               newcomer):
    client_for("admin").post("/access/", {"user": "newcomer", "kind": "grant", "role": "admin",
                                          "reason": "Second shift"})
    assert not _fresh(newcomer).is_staff
    change = RoleChange.objects.get()
    signed_in(second_admin).post(f"/access/{change.pk}/approve/")
    assert _fresh(newcomer).is_staff
    signed_in(second_admin).post("/access/", {"user": "newcomer", "kind": "revoke", "role": "admin",
                                              "reason": "Shift over"})
    assert not _fresh(newcomer).is_staff


def test_the_operator_grants_from_the_server_for_the_first_administrators(newcomer, capsys):
    call_command("roles", "grant", "newcomer", "admin", "--reason", "Second administrator of the mission")
    assert roles_of(_fresh(newcomer)) == {"admin"} and _fresh(newcomer).is_staff
    event = AuditEvent.objects.filter(detail__account="newcomer", detail__operator__isnull=False).get()
    assert event.actor.startswith("system:cli")
    call_command("roles", "list")
    assert "newcomer" in capsys.readouterr().out


def test_group_changes_are_audited_with_what_changed(newcomer):
    make_account("helper", "engineer")
    event = AuditEvent.objects.filter(model="auth.User", detail__items=["engineer"]).last()
    assert event is not None and "roles (groups)" in event.object_repr and event.detail["change"] == "add"


def test_an_account_whose_password_an_administrator_set_gets_no_case_role_until_its_holder_changes_it(
        users, client_for, second_admin):
    first = client_for("admin")
    created = first.post("/admin/auth/user/add/", {"username": "puppet", "usable_password": "true",
                                                   "password1": "known-to-admin-2020", "password2":
                                                   "known-to-admin-2020"})
    assert created.status_code == 302
    puppet = User.objects.get(username="puppet")
    first.post("/access/", {"user": "puppet", "kind": "grant", "role": "coordinator", "reason": "New colleague"})
    change = RoleChange.objects.get(user=puppet)
    approver = signed_in(second_admin)
    assert "Password set by admin" in approver.get("/access/").content.decode()
    refused = approver.post(f"/access/{change.pk}/approve/", follow=True).content.decode()
    assert "last set by admin, not by its holder" in refused
    assert "coordinator" not in roles_of(_fresh(puppet))
    holder = signed_in(puppet)
    holder.post("/accounts/password/", {"old_password": "known-to-admin-2020", "new_password1": "only-mine-2020!",
                                        "new_password2": "only-mine-2020!"})
    approver.post(f"/access/{change.pk}/approve/")
    assert "coordinator" in roles_of(_fresh(puppet))
