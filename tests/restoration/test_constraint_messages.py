import pytest
from django.utils import translation

from peaceops.restoration.models import Work


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_work_constraint_message_renders(language):
    # Django %-formats these messages; a stray "%" would raise instead of telling the user what is wrong.
    with translation.override(language):
        for constraint in Work._meta.constraints:
            assert constraint.get_violation_error_message().strip()
