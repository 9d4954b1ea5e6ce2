"""The vulnerabilities a registration form sends, checked against codes read once (`households._VULNERABILITY_CODES`):
every code of the choices known, anything else refused by name, the known ones sorted once each."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from peaceops.returns.models import Vulnerability
from peaceops.returns.services.households import validate_vulnerabilities


def test_every_code_of_the_choices_is_known_and_kept_sorted_once():
    codes = list(Vulnerability.values)
    assert validate_vulnerabilities([*reversed(codes), codes[0]]) == sorted(set(codes))
    assert validate_vulnerabilities([]) == [] and validate_vulnerabilities(()) == []


def test_an_unknown_code_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        validate_vulnerabilities([Vulnerability.values[0], "zz-unknown"])
    assert "zz-unknown" in str(refused.value) and Vulnerability.values[0] not in str(refused.value).split("(")[0]
