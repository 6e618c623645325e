"""missing_for_publish: what a draft still lacks, field by field."""

from __future__ import annotations

from typing import Any

import pytest

from callimachus.metadata.validation import REQUIRED, missing_for_publish, validate_metadata

pytestmark = pytest.mark.backend_independent

COMPLETE: dict[str, Any] = {
    "resource_type": {"id": "dataset"},
    "title": "Title",
    "publication_date": "2024",
    "creators": [{"person_or_org": {"type": "personal", "family_name": "Curie"}}],
}


def missing(metadata: dict[str, Any], *, licence_required: bool = False) -> dict[str, list[str]]:
    stored = validate_metadata(metadata, {}).metadata
    return {e.field: e.messages for e in missing_for_publish(stored, {}, licence_required=licence_required)}


def test_complete_record_misses_nothing() -> None:
    assert missing(COMPLETE) == {}


def test_required_top_level_fields() -> None:
    assert missing({}) == {
        "metadata.resource_type": [REQUIRED],
        "metadata.title": [REQUIRED],
        "metadata.publication_date": [REQUIRED],
        "metadata.creators": [REQUIRED],
    }
    assert REQUIRED == "Missing data for required field."


def test_blank_values_count_as_missing() -> None:
    blank = {**COMPLETE, "title": "   ", "creators": [], "resource_type": {"id": ""}}
    assert set(missing(blank)) == {"metadata.title", "metadata.creators", "metadata.resource_type"}


def test_licence_only_when_required() -> None:
    assert missing(COMPLETE, licence_required=True) == {"metadata.rights": ["A licence is required."]}
    custom_only = {**COMPLETE, "rights": [{"title": {"en": "All rights reserved"}}]}
    assert missing(custom_only, licence_required=True) == {"metadata.rights": ["A licence is required."]}
    assert missing({**COMPLETE, "rights": [{"id": "cc-by-4.0"}]}, licence_required=True) == {}


@pytest.mark.parametrize(
    ("extra", "paths"),
    [
        ({"creators": [{}]}, {"metadata.creators.0.person_or_org"}),
        ({"creators": [{"person_or_org": {"given_name": "Marie"}}]}, {"metadata.creators.0.person_or_org.type"}),
        ({"creators": [{"person_or_org": {"type": "personal", "given_name": "Marie"}}]},
         {"metadata.creators.0.person_or_org.family_name"}),
        ({"creators": [{"person_or_org": {"type": "organizational"}}]}, {"metadata.creators.0.person_or_org.name"}),
        ({"creators": [{"person_or_org": {"type": "organizational", "name": "CERN"}, "affiliations": [{"id": "01ggx4157"}]}]},
         {"metadata.creators.0.affiliations.0.name"}),
        ({"contributors": [{"person_or_org": {"type": "personal", "family_name": "Curie"}}]},
         {"metadata.contributors.0.role"}),
        ({"rights": [{"link": "https://example.org"}]}, {"metadata.rights.0.title"}),
        ({"additional_titles": [{"title": "x"}]}, {"metadata.additional_titles.0.type"}),
        ({"additional_descriptions": [{"type": {"id": "methods"}}]}, {"metadata.additional_descriptions.0.description"}),
        ({"dates": [{"date": "2020"}]}, {"metadata.dates.0.type"}),
        ({"subjects": [{"scheme": "FOS"}]}, {"metadata.subjects.0.subject"}),
        ({"related_identifiers": [{"identifier": "10.1/x"}]}, {"metadata.related_identifiers.0.relation_type"}),
        ({"identifiers": [{"scheme": "doi"}]}, {"metadata.identifiers.0.identifier"}),
        ({"funding": [{"award": {"number": "1"}}]}, {"metadata.funding.0.funder.name", "metadata.funding.0.award.title"}),
        ({"funding": [{"funder": {"name": "EC"}, "award": {"id": "00k4n6c32::1"}}]}, set()),
        ({"references": [{"identifier": "10.1/x"}]}, {"metadata.references.0.reference"}),
        ({"locations": {"features": [{"description": "somewhere"}]}}, {"metadata.locations.features.0"}),
        ({"locations": {"features": [{"geometry": {"type": "Point"}}]}},
         {"metadata.locations.features.0.geometry.coordinates"}),
    ],
)  # fmt: skip
def test_essentials_of_present_objects(extra: dict[str, Any], paths: set[str]) -> None:
    assert set(missing({**COMPLETE, **extra})) == paths


def test_location_message() -> None:
    result = missing({**COMPLETE, "locations": {"features": [{"description": "d"}]}})
    assert result == {"metadata.locations.features.0": ["A location needs a geometry or a place."]}


def test_draft_save_reports_missing_without_licence() -> None:
    result = validate_metadata({"title": "Only a title"}, None)
    assert [e.field for e in result.missing] == [
        "metadata.resource_type",
        "metadata.publication_date",
        "metadata.creators",
    ]


def test_tolerates_stored_metadata_of_odd_shape() -> None:
    # Services may call it on stored JSON; it must not crash on what validation never produces.
    odd = {"creators": ["x"], "rights": "cc-by", "locations": [], "funding": [None]}
    found = {e.field for e in missing_for_publish(odd, {}, licence_required=True)}
    assert "metadata.creators.0.person_or_org" in found and "metadata.rights" in found
