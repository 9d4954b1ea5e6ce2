import pytest
from django.core.exceptions import ValidationError

from peaceops.core import identity
from peaceops.core.models import AuditEvent, Person

pytestmark = pytest.mark.django_db


def test_merge_needs_a_reason_and_is_recorded(users):
    a, b = Person.objects.create(), Person.objects.create()
    with pytest.raises(ValidationError):
        identity.confirm_same_person(a, b, users["exchange_officer"], "  ")
    assert Person.objects.get(pk=a.pk).merged_into is None
    identity.confirm_same_person(a, b, users["exchange_officer"], "same documents")
    assert Person.objects.get(pk=a.pk).canonical().pk == b.pk
    event = AuditEvent.objects.filter(action="decision").latest("id")
    assert event.detail["survivor"] == b.pk and event.actor == "exchange_officer"
    assert list(Person.objects.current().filter(pk__in=[a.pk, b.pk])) == [b]


def test_chains_end_at_one_survivor_and_cycles_are_refused(users):
    a, b, c = (Person.objects.create() for _ in range(3))
    identity.confirm_same_person(a, b, users["returns_officer"], "duplicate registration")
    identity.confirm_same_person(b, c, users["returns_officer"], "duplicate registration")
    assert Person.objects.get(pk=a.pk).merged_into_id == c.pk
    with pytest.raises(ValidationError):
        identity.confirm_same_person(c, a, users["returns_officer"], "loop")


def test_a_merge_can_be_undone_as_a_new_version(users):
    a, b = Person.objects.create(), Person.objects.create()
    identity.confirm_same_person(a, b, users["exchange_officer"], "same father and birth date")
    identity.separate(Person.objects.get(pk=a.pk), users["exchange_officer"], "namesakes, different villages")
    assert Person.objects.get(pk=a.pk).merged_into is None
    assert Person.objects.get(pk=a.pk).history.count() >= 3


def test_records_merged_along_get_a_version_and_their_state_in_the_audit_chain(users):
    """Issue 18: the records already merged into a duplicate move to the survivor through
    `record_state.update_with_history`, not a bare `.update()`: each keeps a version and the chain their digest."""
    from peaceops.core import record_state

    a, b, c = (Person.objects.create() for _ in range(3))
    identity.confirm_same_person(a, b, users["returns_officer"], "duplicate registration")
    versions = Person.objects.get(pk=a.pk).history.count()
    identity.confirm_same_person(b, c, users["returns_officer"], "duplicate registration")
    moved = Person.objects.get(pk=a.pk)
    assert moved.merged_into_id == c.pk and moved.history.count() == versions + 1
    assert moved.history.first().merged_into_id == c.pk
    event = AuditEvent.objects.filter(action="bulk", model="core.Person").latest("id")
    assert event.detail["states"] == {str(a.pk): record_state.digest(moved)}
    assert event.actor == "returns_officer"
