"""An export row becomes an instance without writing XML only to parse it again (`exports.to_instance`): what
the import reads from the row must be exactly what `instances.parse` reads from the XML it stores, so the
content digest, and with it idempotency across channels, is the one the same filling gets over OpenRosa."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peaceops.fieldforms import exports, services
from peaceops.fieldforms.catalogue import forms
from peaceops.fieldforms.instances import parse
from peaceops.fieldforms.models import Delivery, FieldSubmission, State
from peaceops.returns.models import Household
from tests.fieldforms.collect import fill, submit

FORM = "returnee_registration"
SYSTEM = "SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits"
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


def _same_as_parsed(built: exports.RowInstance) -> None:
    parsed = parse(built.xml.encode())
    assert built.instance is not None
    assert (parsed.form_id, parsed.version, parsed.instance_id, parsed.deprecated_id, parsed.data) == (
        built.instance.form_id, built.instance.version, built.instance.instance_id, built.instance.deprecated_id,
        built.instance.data)
    assert services.content_digest(parsed) == services.content_digest(built.instance)


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(main=st.fixed_dictionaries({"reference": text, "registered_on": text, "origin": text, "destination": text,
                                   "vulnerabilities": text, "remarks": text, "meta-deprecatedID": text}),
       members=st.lists(st.fixed_dictionaries({"name": text, "sex": text, "birth_year": text, "oddity": text}),
                        max_size=3))
def test_what_a_row_reads_as_is_what_its_xml_parses_to(world, main, members):
    form = forms()[FORM]
    row = exports.Row(2, {**main, "meta-instanceID": "uuid:x-1", "KEY": "uuid:x-1"},
                      repeats={"member": members} if members else {})
    _same_as_parsed(exports.to_instance(form, row))


@pytest.mark.django_db
def test_markup_and_control_characters_in_a_row(world):
    form = forms()[FORM]
    row = exports.Row(2, {"reference": " a&b <c> \"d\"\r\n\te ", "remarks": "x\x01y", "meta-instanceID": "uuid:x-2"},
                      repeats={"member": [{"name": "Анна\x0bПетросян", "sex": "F"}, {}]})
    built = exports.to_instance(form, row)
    _same_as_parsed(built)
    assert built.unclean == ["name"] and built.unmapped == ["remarks"]
    assert built.instance is not None and built.instance.data["member"][0]["name"] == "Анна\ufffdПетросян"


# Rows of every shape (groups, repeats, a name met twice, markup, control characters, an empty repeat item, a
# deprecatedID, a repeat no element can carry) and the XML the element-by-element writer stored for each before
# the values were read in the same pass (staging 2630779): what is stored as received does not change.
SHAPES = {
    "flat": exports.Row(2, {"SubmissionDate": "2020-11-20T09:00:00.000Z", "reference": " R-1 ", "registered_on": "2020-11-20",
                            "origin": "", "destination": "place-1", "vulnerabilities": "elderly disabled",
                            "meta-instanceID": "uuid:flat-1", "KEY": "uuid:flat-1"},
                        repeats={"member": [{"name": "Anna Petrosyan", "sex": "F", "birth_year": "1950",
                                             "relationship": "head", "PARENT_KEY": "uuid:flat-1"},
                                            {"name": " Nune ", "sex": "", "birth_year": "19x0"}]}),
    "markup": exports.Row(3, {"reference": " a&b <c> \"d\"\r\n\te ", "remarks": "x\x01y", "destination": "p",
                              "meta/instanceID": "uuid:m-1", "meta/deprecatedID": " uuid:m-0 "},
                          repeats={"member": [{"name": "Анна\x0bПетросян", "sex": "F"}, {}, {"_index": "3"}]}),
    "kobo-groups": exports.Row(4, {"data/reference": "K-1", "reference": "K-2", "_uuid": "abc", "__version__": "v",
                                   "formhub/uuid": "f", "destination": "d"},
                               repeats={"odd name": [{"x": "1"}], "member": [{"member/name": "Ara", "oddity": "?"}]}),
    "no-repeat": exports.Row(5, {"registered_on": "2020-01-01", "member-name": "Solo", "meta-instanceID": "uuid:s"}),
}
STORED_BEFORE = {
    'flat': (
        '<?xml version=\'1.0\' encoding=\'UTF-8\'?>\n<data id="returnee_registration"><reference>R-1</re'
        'ference><registered_on>2020-11-20</registered_on><destination>place-1</destination><vulner'
        'abilities>elderly disabled</vulnerabilities><member><name>Anna Petrosyan</name><sex>F</sex'
        '><birth_year>1950</birth_year><relationship>head</relationship></member><member><name>Nune'
        '</name><birth_year>19x0</birth_year></member><meta><instanceID>uuid:flat-1</instanceID></m'
        'eta></data>'
    ),
    'markup': (
        '<?xml version=\'1.0\' encoding=\'UTF-8\'?>\n<data id="returnee_registration"><reference>a&amp;b'
        ' &lt;c&gt; "d"&#13;\n\te</reference><destination>p</destination><member><name>\u0410\u043d\u043d\u0430\ufffd\u041f\u0435\u0442\u0440\u043e\u0441\u044f\u043d<'
        '/name><sex>F</sex></member><member/><member/><meta><instanceID>uuid:m-1</instanceID><depre'
        'catedID>uuid:m-0</deprecatedID></meta></data>'
    ),
    'kobo-groups': (
        '<?xml version=\'1.0\' encoding=\'UTF-8\'?>\n<data id="returnee_registration"><reference>K-1</re'
        'ference><reference>K-2</reference><destination>d</destination><member><name>Ara</name></me'
        'mber><meta><instanceID>uuid:abc</instanceID></meta></data>'
    ),
    'no-repeat': (
        '<?xml version=\'1.0\' encoding=\'UTF-8\'?>\n<data id="returnee_registration"><registered_on>202'
        '0-01-01</registered_on><member><name>Solo</name></member><meta><instanceID>uuid:s</instanc'
        'eID></meta></data>'
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_stored_xml_is_byte_for_byte_what_it_was_and_reads_as_the_values(world, shape):
    built = exports.to_instance(forms()[FORM], SHAPES[shape])
    assert built.xml == STORED_BEFORE[shape]
    _same_as_parsed(built)


def _zip(main: list[str], members: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{FORM}.csv", "\n".join(
            [f"SubmissionDate,reference,registered_on,origin,destination,vulnerabilities,meta-instanceID,"
             f"{SYSTEM},KEY,FormVersion", *main]) + "\n")
        archive.writestr(f"{FORM}-member.csv", "\n".join(
            ["name,sex,birth_year,birth_month,birth_day,relationship,PARENT_KEY,KEY", *members]) + "\n")
    return buffer.getvalue()


def _import(tmp_path, data: bytes) -> tuple[str, str]:
    path = tmp_path / f"{FORM}.csv.zip"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("forms", "import", str(path), "--form", FORM, "--user", "returns_officer", "--from", "odk-central",
                 stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_control_character_holds_the_row_with_its_line_instead_of_stopping_the_import(tmp_path, place_key):
    place = place_key("stepanakert")
    main = [f"2020-11-20T09:00:00.000Z,,2020-11-20,,{place},,uuid:ctl-{n},5,clerk,0,0,,,collect:x,0,uuid:ctl-{n},v1"
            for n in (1, 2)]
    members = ["Anna Petrosyan,F,1950,,,head,uuid:ctl-1,uuid:ctl-1/member[1]",
               "Ar\x01am Testyan,M,1960,,,head,uuid:ctl-2,uuid:ctl-2/member[1]"]
    out, err = _import(tmp_path, _zip(main, members))
    assert "1 accepted" in out and "1 in review" in out, (out, err)
    assert f"{FORM}.csv.zip:3: " in err and "Control characters in name" in err
    held = FieldSubmission.objects.get(instance_id="uuid:ctl-2")
    assert held.state == State.REVIEW and "Ar\ufffdam" in held.received_xml
    assert parse(held.received_xml.encode()).instance_id == "uuid:ctl-2"


@pytest.mark.django_db
def test_a_registration_over_openrosa_then_in_a_central_export_is_one_submission(
        tmp_path, place_key, phone, password, xforms):
    place = place_key("stepanakert")
    xml, instance_id = fill(xforms[FORM], {
        "/data/registered_on": "2020-11-20", "/data/destination": place, "/data/vulnerabilities": "elderly",
        "/data/member/name": "Анна Петросян", "/data/member/sex": "F", "/data/member/birth_year": "1950",
        "/data/member/relationship": "head"}, instance_id="uuid:both-1")
    assert submit(phone, xml, "returns_officer", password).status_code == 201
    # ODK Central writes the same filling as a row (its own columns beside it) and the member in the repeat file;
    # a second instance rides along so the chunk goes through the bulk door.
    main = [f"2020-11-20T09:00:00.000Z,,2020-11-20,,{place},elderly,{instance_id},5,clerk,0,0,,,collect:x,0,"
            f"{instance_id},v1",
            f"2020-11-20T09:00:00.000Z,,2020-11-20,,{place},,uuid:both-2,5,clerk,0,0,,,collect:x,0,uuid:both-2,v1"]
    members = [f"Анна Петросян,F,1950,,,head,{instance_id},{instance_id}/member[1]",
               "Nune Avetisyan,F,1980,,,head,uuid:both-2,uuid:both-2/member[1]"]
    out, err = _import(tmp_path, _zip(main, members))
    assert "1 already received" in out and "1 accepted" in out, (out, err)
    submission = FieldSubmission.objects.get(instance_id=instance_id)
    assert sorted(Delivery.objects.filter(submission=submission).values_list("channel", flat=True)) == [
        "odk-central", "openrosa"]
    assert Household.objects.filter(pk=submission.record_id).count() == 1
    assert FieldSubmission.objects.filter(instance_id=instance_id).count() == 1
