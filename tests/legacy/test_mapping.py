"""The pure legacy ↔ native mapping (formats/legacy.py) and Zenodo's JSON shapes (formats/zenodo.py)."""

from __future__ import annotations

import pytest

from callimachus.core.errors import FieldError, ValidationError
from callimachus.formats import legacy, zenodo
from callimachus.metadata.validation import validate_metadata
from tests.legacy.data import EVERY_FIELD, every_field

pytestmark = pytest.mark.backend_independent
TODAY = "2025-06-30"


def native_of(metadata: dict) -> dict:
    """What the services would store: the mapped body, validated by the native validation."""
    wanted = legacy.to_native(metadata, today=TODAY)
    checked = validate_metadata(wanted.body["metadata"], wanted.body["custom_fields"])
    return {"metadata": checked.metadata, "custom_fields": checked.custom_fields, "access": wanted.body["access"]}


def test_every_field_maps_to_valid_native_metadata_and_back():
    wanted = legacy.to_native(EVERY_FIELD, today=TODAY)
    checked = validate_metadata(wanted.body["metadata"], wanted.body["custom_fields"])
    assert checked.missing == []
    native = {**native_of(EVERY_FIELD), "pids": {"doi": {"identifier": wanted.doi}}}
    back, _ = legacy.to_legacy(native, communities=wanted.communities)
    assert back == EVERY_FIELD


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ({"upload_type": "image", "image_type": "photo"}, {"resource_type": {"id": "image-photo"}}),
        ({"upload_type": "dataset"}, {"resource_type": {"id": "dataset"}, "rights": [{"id": "cc0-1.0"}]}),
        ({"upload_type": "software"}, {"rights": [{"id": "cc-by-4.0"}]}),
        ({"license": {"id": "cc-zero"}}, {"rights": [{"id": "cc-zero"}]}),
        ({"access_right": "closed"}, {}),
        ({"language": "en"}, {"languages": [{"id": "en"}]}),
        ({"dates": [{"end": "2020", "type": "Withdrawn"}]}, {"dates": [{"date": "../2020", "type": {"id": "withdrawn"}}]}),
        ({"related_identifiers": [{"identifier": "10.1/x", "relation": "isOrignialFormOf"}]},
         {"related_identifiers": [{"identifier": "10.1/x", "relation_type": {"id": "isoriginalformof"}}]}),
        ({"grants": [{"id": "10.13039/999999::A-1"}]},
         {"funding": [{"funder": {"name": "10.13039/999999"}, "award": {"id": "10.13039/999999::A-1", "number": "A-1"}}]}),
    ],
)
def test_single_fields(sent, expected):
    metadata = legacy.to_native(sent, today=TODAY).body["metadata"]
    for key, value in expected.items():
        assert metadata[key] == value
    if sent.get("access_right") == "closed":
        assert "rights" not in metadata  # no default licence for closed files


def test_normalised_values_come_back_normalised():
    native = native_of({"language": "en", "license": "CC-ZERO", "creators": [{"name": "Doe,Jane", "orcid": "https://orcid.org/0000-0002-1825-0097"}]})
    back, _ = legacy.to_legacy(native)
    assert back["language"] == "eng" and back["license"] == "cc0-1.0"
    assert back["creators"] == [{"name": "Doe, Jane", "orcid": "0000-0002-1825-0097"}]
    assert back["publication_date"] == TODAY


def test_errors_are_named_in_legacy_terms():
    with pytest.raises(ValidationError) as caught:
        legacy.to_native({"upload_type": "x", "creators": [{}], "access_right": "embargoed", "keywords": [1]}, today=TODAY)
    assert {e.field for e in caught.value.errors} == {
        "metadata.upload_type", "metadata.creators.0.name", "metadata.embargo_date", "metadata.keywords.0",
    }
    wanted = legacy.to_native(every_field(), today=TODAY)
    native_errors = [
        FieldError("metadata.contributors.0.person_or_org.identifiers.0.identifier", ["Invalid."]),
        FieldError("metadata.contributors.2.person_or_org.family_name", ["Missing."]),
        FieldError("metadata.creators.0.person_or_org.identifiers.1.identifier", ["Invalid."]),
        FieldError("metadata.rights.0.id", ["Unknown."]),
        FieldError("custom_fields.meeting:meeting.url", ["Invalid URL."]),
        FieldError("metadata.identifiers.0.identifier", ["Invalid."]),
        FieldError("metadata.locations.features.1.geometry.coordinates", ["Out of range."]),
        FieldError("access.embargo.until", ["In the past."]),
        FieldError("pids.doi.identifier", ["Not a DOI."]),
    ]
    assert [e.field for e in wanted.paths.errors(native_errors)] == [
        "metadata.contributors.0.orcid", "metadata.thesis_supervisors.0.name",
        "metadata.creators.0.gnd", "metadata.license", "metadata.conference_url",
        "metadata.related_identifiers.2", "metadata.locations.1", "metadata.embargo_date", "metadata.doi",
    ]


def test_closed_and_restricted_are_told_apart_by_the_access_settings():
    files_restricted = {"record": "public", "files": "restricted", "embargo": {"active": False, "until": None}}
    assert legacy.access_right_of(files_restricted, {"allow_user_requests": True, "allow_guest_requests": False}) == "restricted"
    assert legacy.access_right_of(files_restricted, {"allow_user_requests": False, "allow_guest_requests": False}) == "closed"
    assert legacy.access_right_of({**files_restricted, "embargo": {"active": True, "until": "2999-01-01"}}, None) == "embargoed"
    lifted = {**files_restricted, "embargo": {"active": False, "until": "2001-01-01"}}
    assert legacy.access_right_of(lifted, None) == "open"


def test_native_only_values_in_legacy_output():
    native = {"metadata": {
        "creators": [{"person_or_org": {"type": "organizational", "name": "CERN"}, "affiliations": [{"name": "A"}, {"name": "B"}]}],
        "contributors": [{"person_or_org": {"type": "personal", "name": "Roe, R"}, "role": {"id": "contactperson", "title": {"en": "Contact person"}}}],
        "funding": [{"funder": {"id": "021nxhr62", "name": "National Science Foundation"}, "award": {"number": "42"}}],
        "dates": [{"date": "2020-05", "type": {"id": "created", "title": {"en": "Created"}}}],
        "locations": {"features": [{"place": "Lake", "geometry": {"type": "Point", "coordinates": [0, 0]}}]},
    }}
    back, _ = legacy.to_legacy(native)
    assert back["creators"] == [{"name": "CERN", "affiliation": "A"}]
    assert back["contributors"] == [{"name": "Roe, R", "type": "ContactPerson"}]
    assert back["grants"] == [{"id": "10.13039/100000001::42"}]
    assert back["dates"] == [{"start": "2020-05", "end": "2020-05", "type": "Created"}]
    assert back["locations"] == [{"place": "Lake", "lon": 0, "lat": 0}]


def test_deposition_and_record_json_shapes():
    record = {
        "id": "12", "created": "c", "updated": "u", "revision_id": 3, "is_published": True, "is_draft": False,
        "pids": {"doi": {"identifier": "10.5072/x.12"}}, "parent": {"id": "11", "access": {"owned_by": {"user": "7"}}, "pids": {"doi": {"identifier": "10.5072/x.11"}}},
        "versions": {"index": 2, "is_latest": False}, "access": {"record": "public", "files": "public"},
        "files": {"order": ["b.txt"], "entries": {
            "a.txt": {"id": "fa", "key": "a.txt", "size": 1, "checksum": "md5:aa"},
            "b.txt": {"id": "fb", "key": "b.txt", "size": 2, "checksum": "md5:bb"},
            "pending.txt": {"id": "fp", "key": "pending.txt"},
        }},
        "metadata": {"title": "T", "resource_type": {"id": "image-photo", "title": {"en": "Photo"}}},
        "links": {"self": "https://repo.example/api/records/12"},
    }
    out = zenodo.zenodo_record_json(record)
    assert out["id"] == 12 and out["recid"] == "12" and out["conceptrecid"] == "11" and out["revision"] == 3
    assert out["doi_url"] == "https://doi.org/10.5072/x.12" and out["conceptdoi"] == "10.5072/x.11" and out["owners"] == [{"id": 7}]
    assert [f["key"] for f in out["files"]] == ["b.txt", "a.txt"]
    assert out["files"][1]["links"]["self"] == "https://repo.example/api/records/12/files/a.txt/content"
    assert out["metadata"]["resource_type"] == {"title": "Photo", "type": "image", "subtype": "photo"}
    assert out["metadata"]["relations"]["version"][0] == {"index": 1, "is_last": False, "parent": {"pid_type": "recid", "pid_value": "11"}}
    assert out["links"]["latest"].split("/")[-3] == "12"
    dep = zenodo.deposition_json(record, bucket_id="bkt", prereserved_doi="10.5072/x.12", latest_draft_id=13)
    assert dep["state"] == "done" and dep["submitted"] is True and dep["owner"] == 7 and dep["record_id"] == 12
    assert dep["links"]["latest_draft"] == "https://repo.example/api/deposit/depositions/13"
    assert dep["links"]["bucket"] == "https://repo.example/api/files/bkt"
    assert dep["files"][0] == {"id": "fb", "filename": "b.txt", "filesize": 2, "checksum": "bb", "links": {
        "self": "https://repo.example/api/deposit/depositions/12/files/fb", "download": "https://repo.example/api/files/bkt/b.txt"}}
    assert dep["metadata"]["prereserve_doi"] == {"doi": "10.5072/x.12", "recid": 12}
