"""`{% revision_input record %}`: the hidden field that tells the write which revision the user was looking at."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def revision_input(record) -> str:
    revision = getattr(record, "revision", None)
    if revision is None:
        return ""
    return format_html('<input type="hidden" name="revision" value="{}">', revision)
