"""Registrations from field exports written in bulk (returns.services.registering), by the CSV importer and the field-forms import of
`returnee_registration` alike (issues 14 and 16): the same outcome as one registration at a time, a version of
every record, search keys for every name, an audit chain that verifies, and a chunk that fails mid-way leaves
nothing of itself."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from peaceops.core import audit
from peaceops.core.models import Person, PersonName
from peaceops.core.models.audit import AuditAction, AuditEvent
from peaceops.fieldforms import exports
from peaceops.fieldforms.catalogue import forms
from peaceops.fieldforms.models import Delivery, FieldSubmission, State
from peaceops.returns.models import Household, HouseholdMember
from peaceops.returns.services import registering
from peaceops.search import services as name_search
from peaceops.search.models import NameKey

pytestmark = pytest.mark.django_db
FORM = "returnee_registration"
SYSTEM = "SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits"


def _zip(main: list[str], members: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{FORM}.csv", "\n".join(
            [f"SubmissionDate,reference,registered_on,origin,destination,vulnerabilities,remarks,meta-instanceID,"
             f"{SYSTEM},KEY,FormVersion", *main]) + "\n")
        archive.writestr(f"{FORM}-member.csv", "\n".join(
            ["name,sex,birth_year,birth_month,birth_day,relationship,PARENT_KEY,KEY", *members]) + "\n")
    return buffer.getvalue()


def _export(prefix: str, place: str, other: str) -> bytes:
    """Every kind of row the import must tell apart, under instance ids and references starting with `prefix`."""
    main, members = [], []

    def row(n, *, reference="", registered="2020-11-20", destination=place, origin="", needs="", remarks="",
            instance=None, names=(("Анна Петросян", "F", "1950"),), cut=False):
        key = f"uuid:{prefix}-{n}" if instance != "" else ""
        instance = f"uuid:{prefix}-{n}" if instance is None else instance
        cells = ["2020-11-20T09:00:00.000Z", reference, registered, origin, destination, needs, remarks, instance,
                 "5", "clerk", "0", "0", "", "", "collect:x", "0", key, "v1"]
        main.append(",".join(cells[:9] if cut else cells))
        for index, (name, sex, year) in enumerate(names, 1):
            members.append(f"{name},{sex},{year},,,{'head' if index == 1 else 'child'},{key or n},{key}/member[{index}]")

    row(1, reference=f"{prefix}-R1", needs="elderly", origin=other,
        names=(("Анна Петросян", "F", "1950"), ("Armen Petrosyan", "M", "1980")))
    row(2, names=(("Լուսինե Թեստյան", "F", "1975"),))
    main.append(main[-1])  # the previous row exported again: already received
    row(3, registered="2099-01-01")  # in the future
    row(4, destination="Nowhere-on-the-map")
    row(5, names=(("Арам Тестян", "M", "19x0"),))  # a birth year that is not a number
    row(6, remarks="seen at the gate")  # a column the form does not have
    row(7, instance=f"uuid:{prefix}-2")  # row 2's instance id with other content
    row(8, reference=f"{prefix}-R1")  # the reference row 1 took in this very chunk
    row(9, reference="TAKEN-BEFORE")  # a reference registered before the import
    row(10, cut=True)  # cut short
    row(11, names=(("---", "M", "1970"),))  # no usable name
    row(12, names=(("Gayane Sargsyan", "F", "1960"), ("Tigran Sargsyan", "M", "1990")), needs="disabled")
    row(13, instance="")  # no instance id
    return _zip(main, members)


def _import(tmp_path, data: bytes, name: str = f"{FORM}.csv.zip") -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("forms", "import", str(path), "--form", FORM, "--user", "returns_officer", "--from", "odk-central",
                 stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _outcome(prefix: str) -> dict:
    submissions = sorted(
        (s.instance_id.replace(prefix, "P"), s.state, s.reason.replace(prefix, "P"), s.deliveries.count(),
         tuple(sorted((str(m.person), m.person.birth_date_display, m.relationship, tuple(m.needs))
                      for m in HouseholdMember.objects.filter(household_id=s.record_id).select_related("person")
                      .prefetch_related("person__names"))) if s.record_id else None)
        for s in FieldSubmission.objects.filter(instance_id__startswith=f"uuid:{prefix}-"))
    households = sorted((h.reference.replace(prefix, "P"), h.size, tuple(h.vulnerabilities), h.is_vulnerable,
                         h.origin_id, h.destination_id, str(h.registered_on))
                        for h in Household.objects.filter(pk__in=[int(s.record_id) for s in FieldSubmission.objects
                                                                  .filter(instance_id__startswith=f"uuid:{prefix}-")
                                                                  .exclude(record_id="")]))
    return {"submissions": submissions, "households": households}


def _taken_reference(world):
    from peaceops.returns.services import MemberSpec, register_household

    register_household([MemberSpec(name="Nune Avetisyan", sex="F", birth_year=1980)],
                       world["places"]["stepanakert"], reference="TAKEN-BEFORE")


def test_the_bulk_import_answers_every_row_as_one_at_a_time_does(tmp_path, place_key, world, monkeypatch):
    _taken_reference(world)
    place, other = place_key("stepanakert"), place_key("martakert")
    out, err = _import(tmp_path, _export("bulk", place, other))
    assert Delivery.objects.filter(submission__instance_id__startswith="uuid:bulk-").exists()
    form = forms()[FORM]
    bulk = form.bulk
    object.__setattr__(form, "bulk", None)  # the one-at-a-time door, as before the bulk path
    try:
        single_out, single_err = _import(tmp_path, _export("single", place, other), "single.csv.zip")
    finally:
        object.__setattr__(form, "bulk", bulk)
    assert out == single_out
    assert "3 accepted" in out and "1 already received" in out and "1 conflict" in out and "1 skipped" in out
    assert err.replace(f"{FORM}.csv.zip", "F").replace("bulk", "P") == single_err.replace(
        "single.csv.zip", "F").replace("single", "P")
    bulk_outcome, single_outcome = _outcome("bulk"), _outcome("single")
    assert bulk_outcome == single_outcome
    states = {instance: (state, reason) for instance, state, reason, _d, _m in bulk_outcome["submissions"]}
    assert "already registered" in states["uuid:P-8"][1] and "already registered" in states["uuid:P-9"][1]
    assert states["uuid:P-1"][0] == State.ACCEPTED and "not a whole number" in states["uuid:P-5"][1]
    assert audit.verify().intact


def test_bulk_registered_records_have_versions_search_keys_and_audited_ids(tmp_path, place_key, users, world):
    _taken_reference(world)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    out, _err = _import(tmp_path, _export("hist", place_key("stepanakert"), place_key("martakert")))
    accepted = FieldSubmission.objects.filter(instance_id__startswith="uuid:hist-", state=State.ACCEPTED)
    households = Household.objects.filter(pk__in=[int(s.record_id) for s in accepted])
    persons = Person.objects.filter(pk__in=HouseholdMember.objects.filter(household__in=households).values("person_id"))
    assert households.count() == 3 and persons.count() == 5
    officer = users["returns_officer"]
    for record in [*households, *persons, *PersonName.objects.filter(person__in=persons),
                   *HouseholdMember.objects.filter(household__in=households), *accepted]:
        versions = record.history.all()
        assert versions.count() == 1 and versions.first().history_user == officer, record
    # The instance is stored once: as received, with no copy beside it nor in its version.
    for submission in FieldSubmission.objects.filter(instance_id__startswith="uuid:hist-"):
        assert submission.xml == "" and submission.instance_xml == submission.received_xml != ""
    assert "received_xml" not in {f.name for f in FieldSubmission.history.model._meta.fields}
    # Every name is keyed: found in another script, as a name saved one at a time is.
    armen = PersonName.objects.get(full_name="Armen Petrosyan").person_id
    assert armen in set(name_search.search(Person.objects.all(), name_search.PERSON, "Армен Петросян")
                        .values_list("pk", flat=True))
    lusine = PersonName.objects.get(full_name="Լուսինե Թեստյան").person_id
    assert lusine in set(name_search.search(Person.objects.all(), name_search.PERSON, "Lusine Testyan")
                         .values_list("pk", flat=True))
    assert NameKey.objects.filter(scope=name_search.PERSON, record_id__in=persons.values("pk")).values(
        "record_id").distinct().count() == 5
    # The audit chain names every record made, by id, in one bulk event per model; one decision per submission.
    for model, ids in (("core.Person", persons.values_list("pk", flat=True)),
                       ("returns.Household", households.values_list("pk", flat=True))):
        named = {int(i) for e in AuditEvent.objects.filter(id__gt=last, action=AuditAction.BULK, model=model)
                 for i in e.detail.get("create", [])}
        assert named == set(ids), model
    # The chunk's decisions are one chained event naming each submission with its outcome, as `receive` logs
    # them one event each (outcome, instance id, record or reason).
    decisions = AuditEvent.objects.filter(id__gt=last, action=AuditAction.DECISION)
    assert decisions.count() == 1 and decisions.get().object_id == ""
    logged = {d["submission"]: d for d in decisions.get().detail["decisions"]}
    made = FieldSubmission.objects.filter(instance_id__startswith="uuid:hist-")
    assert set(logged) == set(made.values_list("pk", flat=True))
    for submission in made:
        entry = logged[submission.pk]
        assert entry["instance_id"] == submission.instance_id
        assert entry["outcome"] == {State.ACCEPTED: "accepted", State.REVIEW: "review",
                                    State.CONFLICT: "conflict"}[submission.state]
        if submission.state == State.ACCEPTED:
            assert entry["record"] == f"returns.Household:{submission.record_id}"
        elif submission.state == State.REVIEW:
            assert entry["reason"] == submission.reason[:500]
    assert audit.verify().intact
    records = io.StringIO()
    call_command("audit", "verify", "--records", stdout=records)
    assert "changed outside" not in records.getvalue()


def test_a_chunk_whose_bulk_write_is_refused_writes_nothing_of_it_and_goes_one_row_at_a_time(
        tmp_path, place_key, monkeypatch, world):
    _taken_reference(world)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 3)
    original, calls = registering.write_prepared, {"n": 0}

    def refused_on_the_second_chunk(*args, **kwargs):
        calls["n"] += 1
        written = original(*args, **kwargs)
        if calls["n"] == 2:  # everything of the chunk written, then the database refuses
            raise IntegrityError("simulated: the same reference registered at the same moment")
        return written

    monkeypatch.setattr(registering, "write_prepared", refused_on_the_second_chunk)
    out, _err = _import(tmp_path, _export("fall", place_key("stepanakert"), place_key("martakert")))
    assert "3 accepted" in out and "1 conflict" in out
    accepted = FieldSubmission.objects.filter(instance_id__startswith="uuid:fall-", state=State.ACCEPTED)
    made = {int(s.record_id) for s in accepted}
    assert set(Household.objects.exclude(reference="TAKEN-BEFORE").values_list("pk", flat=True)) == made  # nothing of the refused write is left
    assert HouseholdMember.objects.filter(household_id__in=made).count() == 5
    assert not Person.objects.exclude(pk__in=HouseholdMember.objects.values("person_id")).exists()
    assert not NameKey.objects.filter(scope=name_search.PERSON).exclude(
        record_id__in=Person.objects.values("pk")).exists()
    assert audit.verify().intact


