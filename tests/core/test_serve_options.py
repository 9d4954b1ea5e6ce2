"""`peaceops serve --switch-interval MS`: the interpreter's switch interval the Waitress threads run under (1 ms
unless told: a thread back from the database waits less for the GIL)."""

import signal
import sys

import pytest
from django.core.management import call_command

from peaceops.core.management.commands import serve

pytestmark = pytest.mark.django_db


def test_the_switch_interval_is_set_before_serving_1_ms_unless_told(monkeypatch):
    seen = []
    monkeypatch.setattr(serve.Command, "_serve", lambda self, *args: seen.append(sys.getswitchinterval()))
    before, handler = sys.getswitchinterval(), signal.getsignal(signal.SIGTERM)
    try:
        call_command("serve", "--no-worker")
        call_command("serve", "--no-worker", "--switch-interval", "5")
    finally:
        sys.setswitchinterval(before)
        signal.signal(signal.SIGTERM, handler)
    assert seen == [pytest.approx(0.001), pytest.approx(0.005)]
