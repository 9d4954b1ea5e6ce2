"""Pulling a form's submissions straight from an ODK Central server with pyodk, ODK's own client: the same
"CSV (zip)" a user downloads from Central's Submissions page (repeat files included, media left out), which then
goes through `exports.import_export` like a downloaded file. Every submission is taken once whichever way it came,
so pulling again, or after an OpenRosa delivery, only counts deliveries.

Credentials come from the environment (PEACEOPS_CENTRAL_URL, PEACEOPS_CENTRAL_USER, PEACEOPS_CENTRAL_PASSWORD), never
from the command line, where other users of the host read them in the process list; the session token is kept in
memory only (pyodk's on-disk token cache is not used)."""

from __future__ import annotations

from datetime import date

import requests
from django.utils.translation import gettext as _

# pyodk exposes its Config and Session (needed to keep the token out of its on-disk cache) only under _utils;
# pyproject pins pyodk below 2 for that reason.
from pyodk._utils.config import CentralConfig, Config
from pyodk._utils.session import Session
from pyodk.client import Client
from pyodk.errors import PyODKError

EXPORT = "projects/{project}/forms/{form}/submissions.csv.zip"


class CentralError(Exception):
    """Central could not be reached, refused the account, or has no such form: said in the user's words."""


def _session(base_url: str, username: str, password: str) -> Session:
    return Session(base_url=base_url, api_version="v1", username=username, password=password, cache_path=None)


def download(base_url: str, username: str, password: str, project: int, xml_form_id: str,
             since: date | None = None) -> bytes:
    """The form's submissions as Central's CSV zip (no media: PeaceOps takes attachments over OpenRosa only)."""
    if not (base_url and username and password):
        raise CentralError(_("Set PEACEOPS_CENTRAL_URL, PEACEOPS_CENTRAL_USER and PEACEOPS_CENTRAL_PASSWORD (the "
                             "Central account that may read the form's submissions)."))
    config = Config(central=CentralConfig(base_url=base_url, username=username, password=password,
                                          default_project_id=project))
    params = {"attachments": "false"}
    if since:
        params["$filter"] = f"__system/submissionDate ge {since.isoformat()}"
    session = _session(base_url, username, password)
    url = session.urlformat(EXPORT, project=project, form=xml_form_id)
    try:
        with Client(config=config, session=session) as client:
            response = client.get(url, params=params)
    except PyODKError as exc:
        status = getattr(getattr(exc, "args", [None, None])[-1], "status_code", None)
        if status in (401, 403):
            raise CentralError(_("Central at %(url)s refused the account %(user)s: check the user name and "
                                 "password.") % {"url": base_url, "user": username}) from None
        raise CentralError(_("Central at %(url)s did not let us sign in: %(error)s")
                           % {"url": base_url, "error": str(exc)[:300]}) from None
    except requests.RequestException as exc:
        raise CentralError(_("Central cannot be reached at %(url)s: %(error)s")
                           % {"url": base_url, "error": exc.__class__.__name__}) from None
    if response.status_code == 404:
        raise CentralError(_("Central has no form %(form)s in project %(project)s, or this account may not read "
                             "it.") % {"form": xml_form_id, "project": project})
    if response.status_code in (401, 403):
        raise CentralError(_("The account %(user)s may not read the submissions of %(form)s on Central.")
                           % {"user": username, "form": xml_form_id})
    if response.status_code != 200:
        raise CentralError(_("Central answered %(status)s for the export of %(form)s.")
                           % {"status": response.status_code, "form": xml_form_id})
    return response.content
