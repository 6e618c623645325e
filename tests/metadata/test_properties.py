"""Properties of validation over generated input: idempotent, text-preserving, control characters refused."""

from __future__ import annotations

import html
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callimachus.core.errors import ValidationError
from callimachus.metadata.custom_fields import CustomFields
from callimachus.metadata.schema import Metadata
from callimachus.metadata.validation import validate_metadata
from callimachus.metadata.vocabularies import get_vocabulary

from .strategies import full_example, records

pytestmark = pytest.mark.backend_independent

SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SAMPLES = [
    "مرحبا بالعالم",  # Arabic, right to left
    "שלום עולם",  # Hebrew
    "\u202eevil\u202c override",  # RTL override marks are text, not control characters
    "🌍🔬🧬 👩🏽‍🔬",  # emoji with ZWJ sequences and skin tones
    "<tag attr=\"v\"> & 'apos' ]]> &amp; &#x41;",  # XML specials and things that look like markup
    "日本語のタイトル",
    "Ünïcödé\u00a0with\u2009odd\u200bspaces",
]
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
TEXT = st.one_of(st.sampled_from(SAMPLES), st.text(PRINTABLE, max_size=300))
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]


@SLOW
@given(records(messy=True))
def test_normalisation_is_idempotent(record: tuple[dict[str, Any], dict[str, Any]]) -> None:
    once = validate_metadata(*record)
    twice = validate_metadata(once.metadata, once.custom_fields)
    assert twice.metadata == once.metadata
    assert twice.custom_fields == once.custom_fields
    assert twice.missing == once.missing == []


@SLOW
@given(records(), st.data())
def test_partial_records_are_idempotent_too(
    record: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    metadata, custom = record
    keep = data.draw(st.sets(st.sampled_from(sorted(metadata))))
    partial = {k: v for k, v in metadata.items() if k in keep}
    once = validate_metadata(partial, custom)
    again = validate_metadata(once.metadata, once.custom_fields)
    assert (again.metadata, again.custom_fields, again.missing) == (
        once.metadata,
        once.custom_fields,
        once.missing,
    )


@given(TEXT)
def test_free_text_survives_except_trimming(text: str) -> None:
    metadata = {
        "title": text,
        "version": text,
        "publisher": text,
        "subjects": [{"subject": text}],
        "additional_titles": [{"title": text, "type": {"id": "subtitle"}}],
        "creators": [{"person_or_org": {"type": "organizational", "name": text}}],
    }
    result = validate_metadata(metadata, {"journal:journal": {"title": text}})
    expected = text.strip()
    if not expected:
        assert "title" not in result.metadata and "journal:journal" not in result.custom_fields
        return
    m = result.metadata
    assert m["title"] == m["version"] == m["publisher"] == expected
    assert m["subjects"] == [{"subject": expected}]
    assert m["additional_titles"][0]["title"] == expected
    assert m["creators"][0]["person_or_org"]["name"] == expected
    assert result.custom_fields["journal:journal"]["title"] == expected


@given(TEXT.filter(lambda t: "\r" not in t))
def test_escaped_text_in_descriptions_survives(text: str) -> None:
    result = validate_metadata({"description": f"  <p>{html.escape(text)}</p>\n"}, None)
    description = result.metadata["description"]
    assert description.startswith("<p>") and description.endswith("</p>")
    assert html.unescape(description[3:-4]) == text


@given(TEXT, st.sampled_from(CONTROLS), st.integers(min_value=0))
def test_control_characters_are_refused(text: str, control: str, at: int) -> None:
    position = at % (len(text) + 1)
    dirty = text[:position] + control + text[position:]
    with pytest.raises(ValidationError) as raised:
        validate_metadata({"title": dirty, "description": dirty}, None)
    errors = {e.field: e.messages for e in raised.value.errors}
    message = f"Control characters are not allowed (found U+{ord(control):04X})."
    assert errors == {"metadata.title": [message], "metadata.description": [message]}


@given(st.sampled_from(["resourcetypes", "licenses", "relationtypes", "creatorroles"]), st.data())
def test_vocabulary_ids_match_in_any_case(kind: str, data: st.DataObject) -> None:
    entry = data.draw(st.sampled_from(get_vocabulary(kind).all()))
    flips = data.draw(st.lists(st.booleans(), min_size=len(entry.id), max_size=len(entry.id)))
    variant = "".join(c.upper() if flip else c for c, flip in zip(entry.id, flips, strict=True))
    assert get_vocabulary(kind).get(variant) is entry


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
METADATA_KEYS = st.sampled_from(sorted(Metadata.model_fields))
CUSTOM_KEYS = st.sampled_from(sorted(f.alias or n for n, f in CustomFields.model_fields.items()))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(METADATA_KEYS, JSON, max_size=6), st.dictionaries(CUSTOM_KEYS, JSON, max_size=3))
def test_any_json_is_either_refused_or_normalised(metadata: dict[str, Any], custom: dict[str, Any]) -> None:
    """Whatever JSON arrives, validation answers with field errors or a stable normal form, never a crash."""
    try:
        once = validate_metadata(metadata, custom)
    except ValidationError as error:
        assert error.errors
        assert all(e.field.startswith(("metadata", "custom_fields")) and e.messages for e in error.errors)
        return
    again = validate_metadata(once.metadata, once.custom_fields)
    assert (again.metadata, again.custom_fields) == (once.metadata, once.custom_fields)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@settings(max_examples=400, deadline=None)
@given(st.data(), JSON)
def test_any_value_anywhere_in_a_full_record_is_handled(data: st.DataObject, replacement: Any) -> None:
    """Put arbitrary JSON at any place of a complete record: no crash; errors point at or near that place."""
    record = {"metadata": full_example()[0], "custom_fields": full_example()[1]}
    path = data.draw(st.sampled_from(_paths(record)))
    parent = record
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = replacement
    try:
        once = validate_metadata(record["metadata"], record["custom_fields"])
    except ValidationError as error:
        near = ".".join(str(p) for p in path[:-1])  # the object holding the replaced value
        assert error.errors
        assert any(e.field.startswith(near) or near.startswith(e.field) for e in error.errors), (
            path,
            error.errors,
        )
        return
    again = validate_metadata(once.metadata, once.custom_fields)
    assert (again.metadata, again.custom_fields) == (once.metadata, once.custom_fields)
