"""Read a page's form as a browser would submit it: tests that two users fill the same form need exactly that."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            fields.append((self._textarea, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            name, value = fields[-1]
            fields[-1] = (name, value + data.lstrip("\n") if not value else value + data)


def page_form(html: str | bytes, index: int = -1, action_contains: str = "") -> dict[str, list[str]]:
    """The fields of one form of the page (the last, or the first whose action contains `action_contains`),
    as {name: [values]} ready for Client.post."""
    parser = _Forms()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    forms = [f for f in parser.forms if action_contains in f["action"]] if action_contains else parser.forms
    data: dict[str, list[str]] = {}
    for name, value in forms[index]["fields"]:
        data.setdefault(name, []).append(value)
    data.pop("csrfmiddlewaretoken", None)
    return data
