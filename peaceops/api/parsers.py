"""Request bodies: a JSON body must be an object. A list, a string or a number is refused with a 400 that says
so, before any view reads it as a mapping."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("The request body must be a JSON object ({…}) of field names and values; got a "
                               "JSON %(kind)s.") % {"kind": _json_kind(data)})
        return data


def _json_kind(value) -> str:
    if isinstance(value, list):
        return _("array")
    if isinstance(value, str):
        return _("string")
    if isinstance(value, bool):
        return _("boolean")
    if value is None:
        return "null"
    return _("number")
