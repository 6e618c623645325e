"""The record strategies other test suites build on produce valid, complete records of every type."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callimachus.metadata.schema import Metadata
from callimachus.metadata.validation import ValidatedMetadata, validate_metadata
from callimachus.metadata.vocabularies import get_vocabulary

from .strategies import custom_fields, full_example, records, validated_records

pytestmark = pytest.mark.backend_independent

RESOURCE_TYPES = [e.id for e in get_vocabulary("resourcetypes").all()]
ALL_METADATA_FIELDS = set(Metadata.model_fields)
ALL_CUSTOM_FIELDS = {"journal:journal", "meeting:meeting", "imprint:imprint", "thesis:thesis",
                     "code:codeRepository", "code:programmingLanguage", "code:developmentStatus"}  # fmt: skip


@pytest.mark.parametrize("resource_type", RESOURCE_TYPES)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_records_of_every_type_validate_completely(resource_type: str, data: st.DataObject) -> None:
    metadata, custom = data.draw(records(resource_type))
    assert set(metadata) == ALL_METADATA_FIELDS
    assert set(custom) == ALL_CUSTOM_FIELDS
    result = validate_metadata(metadata, custom)
    assert result.metadata["resource_type"]["id"] == resource_type
    assert set(result.metadata) == ALL_METADATA_FIELDS
    assert set(result.custom_fields) == ALL_CUSTOM_FIELDS
    assert result.missing == []


@settings(max_examples=25, deadline=None)
@given(validated_records(messy=True))
def test_validated_records_are_stored_form(result: ValidatedMetadata) -> None:
    assert isinstance(result, ValidatedMetadata)
    assert result.missing == []
    assert validate_metadata(result.metadata, result.custom_fields).metadata == result.metadata


@settings(max_examples=25, deadline=None)
@given(custom_fields(messy=True))
def test_custom_fields_strategy(custom: dict[str, Any]) -> None:
    assert set(validate_metadata({}, custom).custom_fields) == ALL_CUSTOM_FIELDS


def test_full_example_uses_every_field() -> None:
    metadata, custom = full_example()
    assert set(metadata) == ALL_METADATA_FIELDS
    assert set(custom) == ALL_CUSTOM_FIELDS
    result = validate_metadata(metadata, custom)
    assert result.missing == []
    assert result.metadata["title"] == metadata["title"]
    assert result.custom_fields["code:programmingLanguage"] == [{"id": "python"}, {"id": "julia"}]
