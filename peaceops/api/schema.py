"""OpenAPI schema adjustments that say what every endpoint may answer besides its success."""

from __future__ import annotations

ERROR = {"description": "", "content": {"application/json": {"schema": {
    "description": "{\"detail\": message}, {field: [messages]} or [messages]"}}}}
COMMON = {
    "400": "A parameter or field is malformed or out of range; the body names it.",
    "401": "No or an expired token.",
    "403": "The role may see this but not do it.",
    "404": "Nothing here the role may see (or a page number past the end).",
    "429": "Too many requests (anonymous endpoints are throttled).",
}


def add_error_responses(result, generator, request, public):
    """Every operation may answer 400, 401, 403, 404 and 429 with a JSON error body: documented, so clients
    (and schemathesis) know them."""
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, text in COMMON.items():
                responses.setdefault(code, {**ERROR, "description": text})
    return result
