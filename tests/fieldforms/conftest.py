import pytest
from django.test import Client

from peaceops.fieldforms.catalogue import forms
from peaceops.scenario.world import DEMO_PASSWORD


@pytest.fixture
def xforms(db):
    """Each shipped form's XForm, as Collect downloads it."""
    return {form_id: form.built().xform for form_id, form in forms().items()}


@pytest.fixture
def phone():
    """A client without a session: Collect authenticates every request."""
    return Client()


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def place_key(world):
    from peaceops.fieldforms.catalogue import place_key

    return lambda key: place_key(world["places"][key])


@pytest.fixture(autouse=True)
def _forget_passwords():
    """The OpenRosa views remember a right password for minutes (process memory); each test starts without."""
    from django.core.cache import cache

    from peaceops.fieldforms.catalogue import forget_built

    cache.clear()
    forget_built()  # each test's database may hold other places and facilities
    yield
    cache.clear()
    forget_built()
