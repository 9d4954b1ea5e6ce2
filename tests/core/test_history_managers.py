"""Reading `.history` (done by every save) reuses one manager class instead of building one each time."""

from __future__ import annotations

import pytest

from peaceops.core.models import Place

pytestmark = pytest.mark.django_db


def test_history_managers_share_one_class_and_still_answer_per_record(world):
    first, second = Place.history, Place.history
    assert type(first) is type(second)
    place = Place.objects.order_by("pk").first()
    place.name = place.name + " (checked)"
    place.save()
    assert place.history.first().name.endswith("(checked)")  # bound to this record, newest change first
    assert Place.history.filter(id=place.pk).count() == place.history.count()
