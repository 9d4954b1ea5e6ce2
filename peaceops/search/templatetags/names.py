"""`{{ name|as_read }}`: a person's name as written, plus its transliteration into the reader's script."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from peaceops.linkage.translit import detect_script
from peaceops.search.display import in_reader_script

register = template.Library()


@register.filter
def as_read(name) -> str:
    text = str(getattr(name, "full_name", name) or "")
    if not text:
        return ""
    # The name keeps its language attribute so the browser picks the right font and screen readers the voice.
    written = format_html('<span class="name-written" lang="{}">{}</span>',
                          {"hy": "hy", "cyrl": "ru", "az": "az"}.get(detect_script(text), "und"), text)
    reading = in_reader_script(text)
    if not reading:
        return written
    return format_html(
        '{} <span class="name-translit" title="{}">{} <small>{}</small></span>', written,
        _("Transliteration into your script, for reading only: the name as written is the record."),
        reading, _("translit."))
