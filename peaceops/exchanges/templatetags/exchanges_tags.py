from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Dictionary lookup by a variable key (templates cannot do it natively)."""
    return mapping.get(key) if mapping else None
