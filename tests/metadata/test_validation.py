"""validate_metadata: every rule with a good and a bad input; bad inputs name the field and say why."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from callimachus.core.errors import ValidationError
from callimachus.metadata.schema import MAX_CREATORS
from callimachus.metadata.validation import ValidatedMetadata, validate_metadata

pytestmark = pytest.mark.backend_independent

DOCS = Path(__file__).resolve().parents[2] / "docs" / "metadata.md"

PERSON = {"type": "personal", "given_name": "Josiah", "family_name": "Carberry"}


def creator(**person: Any) -> dict[str, Any]:
    return {"person_or_org": {**PERSON, **person}}


def errors_of(metadata: object, custom_fields: object = None) -> dict[str, list[str]]:
    """The field errors validate_metadata raises, as {path: messages}."""
    with pytest.raises(ValidationError) as raised:
        validate_metadata(metadata, custom_fields)
    assert raised.value.status == 400
    return {e.field: e.messages for e in raised.value.errors}


def valid(metadata: object, custom_fields: object = None) -> ValidatedMetadata:
    result = validate_metadata(metadata, custom_fields)
    again = validate_metadata(result.metadata, result.custom_fields)
    assert (again.metadata, again.custom_fields) == (result.metadata, result.custom_fields)
    json.dumps([result.metadata, result.custom_fields])  # plain JSON, no pydantic objects
    return result


# --- the documented example ----------------------------------------------------------------------


def _doc_json_blocks() -> list[Any]:
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    parsed = []
    for block in blocks:
        try:
            parsed.append(json.loads(block))
        except json.JSONDecodeError:
            continue  # the request outline uses "..." placeholders
    return parsed


def test_docs_examples_validate() -> None:
    blocks = _doc_json_blocks()
    creators = [b for b in blocks if isinstance(b, dict) and "person_or_org" in b]
    rights = [b for b in blocks if isinstance(b, dict) and b.get("id") == "cc-by-4.0"]
    assert creators and rights
    metadata = {
        "resource_type": {"id": "dataset"},
        "title": "Example",
        "publication_date": "2024-05-17",
        "creators": creators,
        "rights": [{"id": "cc-by-4.0"}],
    }
    result = valid(metadata)
    stored = result.metadata["creators"][0]
    assert stored["person_or_org"] == creators[0]["person_or_org"]
    assert stored["affiliations"] == creators[0]["affiliations"]
    assert stored["role"]["id"] == creators[0]["role"]["id"]
    assert result.metadata["rights"][0]["title"] == rights[0]["title"]
    for key, value in rights[0]["props"].items():
        assert result.metadata["rights"][0]["props"][key] == value
    assert result.missing == []


def test_docs_full_example_with_custom_fields(full_example: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result = valid(*full_example)
    assert result.missing == []
    assert set(result.metadata) == set(full_example[0])
    assert set(result.custom_fields) == set(full_example[1])


# --- normalisation -------------------------------------------------------------------------------


def test_empty_and_none_inputs() -> None:
    result = valid(None, None)
    assert (result.metadata, result.custom_fields) == ({}, {})
    assert {e.field for e in result.missing} == {
        "metadata.resource_type", "metadata.title", "metadata.publication_date", "metadata.creators",
    }  # fmt: skip


def test_vocabulary_values_are_expanded_with_canonical_ids() -> None:
    result = valid(
        {"resource_type": {"id": "Publication-Article"}, "languages": [{"id": "en"}, {"id": "GER"}]}
    )
    assert result.metadata["resource_type"]["id"] == "publication-article"
    assert result.metadata["resource_type"]["title"] == {"en": "Journal article"}
    assert result.metadata["resource_type"]["props"]["datacite_general"] == "JournalArticle"
    assert [lang["id"] for lang in result.metadata["languages"]] == ["eng", "deu"]
    assert result.metadata["languages"][0] == {
        "id": "eng",
        "title": {"en": "English"},
        "props": {"alpha_2": "en"},
    }


def test_client_titles_and_props_of_vocabulary_values_are_replaced() -> None:
    sent = {"id": "dataset", "title": {"en": "Something else"}, "props": {"csl": "book"}}
    result = valid({"resource_type": sent})
    assert result.metadata["resource_type"]["title"] == {"en": "Dataset"}
    assert result.metadata["resource_type"]["props"]["csl"] == "dataset"


def test_licence_aliases_and_expansion() -> None:
    result = valid(
        {"rights": [{"id": "cc-zero"}, {"id": "CC-BY-4.0", "link": "https://example.org/ignored"}]}
    )
    zero, by = result.metadata["rights"]
    assert zero["id"] == "cc0-1.0"
    assert zero["props"]["url"] == "https://creativecommons.org/publicdomain/zero/1.0/legalcode"
    assert by == {
        "id": "cc-by-4.0",
        "title": {"en": "Creative Commons Attribution 4.0 International"},
        "props": {
            "scheme": "spdx",
            "url": "https://creativecommons.org/licenses/by/4.0/legalcode",
            "osi_approved": False,
            "spdx_id": "CC-BY-4.0",
        },
    }


def test_custom_right_is_kept() -> None:
    right = {
        "title": {"en": "All rights reserved"},
        "description": {"en": "Ask first."},
        "link": "https://example.org/terms",
    }
    assert valid({"rights": [right]}).metadata["rights"] == [right]


def test_strings_are_stripped_and_empty_values_dropped() -> None:
    result = valid(
        {
            "title": "  Spaced title \n",
            "version": "   ",
            "sizes": [" 2 GB ", ""],
            "subjects": [],
            "locations": {},
        }
    )
    assert result.metadata == {"title": "Spaced title", "sizes": ["2 GB"]}


def test_person_name_is_derived() -> None:
    result = valid({"creators": [creator(name="ignored")]})
    assert result.metadata["creators"][0]["person_or_org"]["name"] == "Carberry, Josiah"
    result = valid({"creators": [{"person_or_org": {"type": "personal", "family_name": "Curie"}}]})
    assert result.metadata["creators"][0]["person_or_org"]["name"] == "Curie"


def test_person_sent_with_legacy_name_only_is_split() -> None:
    result = valid({"creators": [{"person_or_org": {"type": "personal", "name": "Carberry, Josiah"}}]})
    assert result.metadata["creators"][0]["person_or_org"] == {
        "type": "personal", "given_name": "Josiah", "family_name": "Carberry", "name": "Carberry, Josiah",
    }  # fmt: skip


def test_identifiers_are_normalised() -> None:
    metadata = {
        "creators": [
            {
                "person_or_org": {
                    **PERSON,
                    "identifiers": [{"identifier": "https://orcid.org/0000-0002-1825-0097"}],
                },
                "affiliations": [{"id": "https://ror.org/01GGX4157", "name": "CERN"}],
            }
        ],
        "related_identifiers": [
            {"identifier": "https://doi.org/10.1234/ABC", "relation_type": {"id": "IsCitedBy"}}
        ],
        "identifiers": [{"identifier": "arXiv:2101.00001"}],
        "funding": [{"funder": {"id": "https://ror.org/00k4n6c32", "name": "European Commission"}}],
    }
    result = valid(metadata)
    person = result.metadata["creators"][0]
    assert person["person_or_org"]["identifiers"] == [
        {"scheme": "orcid", "identifier": "0000-0002-1825-0097"}
    ]
    assert person["affiliations"] == [{"id": "01ggx4157", "name": "CERN"}]
    related = result.metadata["related_identifiers"][0]
    assert (related["scheme"], related["identifier"], related["relation_type"]["id"]) == (
        "doi",
        "10.1234/ABC",
        "iscitedby",
    )
    assert result.metadata["identifiers"] == [{"scheme": "arxiv", "identifier": "arXiv:2101.00001"}]
    assert result.metadata["funding"][0]["funder"]["id"] == "00k4n6c32"


def test_description_is_sanitised() -> None:
    metadata = {
        "description": '<p onclick="x()">Hello <script>bad()</script><a href="javascript:x">link</a></p>',
        "additional_descriptions": [{"description": "<b style='x'>Methods</b>", "type": {"id": "methods"}}],
    }
    result = valid(metadata)
    assert result.metadata["description"] == "<p>Hello <a>link</a></p>"
    assert result.metadata["additional_descriptions"][0]["description"] == "<b>Methods</b>"


def test_geometries() -> None:
    point = {"type": "Point", "coordinates": [6.05, 46.23]}
    polygon = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 0]]]}
    features = [
        {"geometry": point, "place": "CERN"},
        {"geometry": polygon},
        {"place": "Nowhere in particular"},
    ]
    result = valid({"locations": {"features": features}})
    assert result.metadata["locations"]["features"] == features


def test_custom_fields_are_normalised() -> None:
    custom = {
        "journal:journal": {"title": "Journal", "issn": "0317 8471", "volume": " 3 "},
        "imprint:imprint": {"isbn": "3-16-148410-X"},
        "code:programmingLanguage": ["python", {"id": "r"}],
        "code:developmentStatus": {"id": "ACTIVE"},
        "thesis:thesis": {"date_defended": "2024-05-17"},
    }
    result = valid({}, custom)
    assert result.custom_fields["journal:journal"] == {"title": "Journal", "issn": "0317-8471", "volume": "3"}
    assert result.custom_fields["imprint:imprint"] == {"isbn": "978-3-16-148410-0"}
    assert result.custom_fields["code:programmingLanguage"] == [{"id": "python"}, {"id": "r"}]
    assert result.custom_fields["code:developmentStatus"]["id"] == "active"
    assert result.custom_fields["code:developmentStatus"]["title"] == {"en": "Active"}


# --- refusals ------------------------------------------------------------------------------------


def test_not_objects() -> None:
    assert errors_of("title", []) == {
        "metadata": ["Not a valid object."],
        "custom_fields": ["Not a valid object."],
    }


@pytest.mark.parametrize(
    ("metadata", "path"),
    [
        ({"foo": 1}, "metadata.foo"),
        ({"creators": [{"person_or_org": {**PERSON, "nickname": "J"}}]}, "metadata.creators.0.person_or_org.nickname"),
        ({"resource_type": {"id": "dataset", "name": "x"}}, "metadata.resource_type.name"),
        ({"locations": {"features": [{"geometry": {"type": "Point", "coordinates": [0, 0], "crs": 1}}]}},
         "metadata.locations.features.0.geometry.crs"),
    ],
)  # fmt: skip
def test_unknown_fields(metadata: dict[str, Any], path: str) -> None:
    assert errors_of(metadata) == {path: ["Unknown field."]}


def test_unknown_custom_field() -> None:
    assert errors_of({}, {"foo:bar": 1, "journal:journal": {"doi": "x"}}) == {
        "custom_fields.foo:bar": ["Unknown field."],
        "custom_fields.journal:journal.doi": ["Unknown field."],
    }


@pytest.mark.parametrize(
    ("metadata", "path", "message"),
    [
        ({"title": 5}, "metadata.title", "Not a valid string."),
        ({"title": ["a"]}, "metadata.title", "Not a valid string."),
        ({"creators": "Carberry"}, "metadata.creators", "Not a valid list."),
        ({"resource_type": "dataset"}, "metadata.resource_type", "Not a valid object."),
        ({"sizes": [1]}, "metadata.sizes.0", "Not a valid string."),
        ({"creators": [{"person_or_org": {"type": "alien"}}]}, "metadata.creators.0.person_or_org.type",
         "Must be one of: personal, organizational."),
    ],
)  # fmt: skip
def test_wrong_types(metadata: dict[str, Any], path: str, message: str) -> None:
    assert errors_of(metadata) == {path: [message]}


@pytest.mark.parametrize(
    ("metadata", "path", "message"),
    [
        ({"title": "t" * 2001}, "metadata.title", "At most 2000 characters."),
        ({"description": "d" * 100_001}, "metadata.description", "At most 100000 characters."),
        ({"publisher": "p" * 1001}, "metadata.publisher", "At most 1000 characters."),
        ({"creators": [creator()] * (MAX_CREATORS + 1)}, "metadata.creators", f"At most {MAX_CREATORS} items."),
        ({"sizes": ["1"] * 101}, "metadata.sizes", "At most 100 items."),
    ],
)
def test_limits(metadata: dict[str, Any], path: str, message: str) -> None:
    assert errors_of(metadata) == {path: [message]}


def test_limits_count_after_trimming() -> None:
    assert valid({"title": "  " + "t" * 2000 + "  "}).metadata["title"] == "t" * 2000
    assert len(valid({"creators": [creator()] * 1000}).metadata["creators"]) == 1000


@pytest.mark.parametrize(
    ("metadata", "custom", "path", "message"),
    [
        ({"title": "bell\x07"}, None, "metadata.title", "Control characters are not allowed (found U+0007)."),
        ({"description": "<p>a\x00b</p>"}, None, "metadata.description", "Control characters are not allowed (found U+0000)."),
        ({"subjects": [{"subject": "x\x1by"}]}, None, "metadata.subjects.0.subject",
         "Control characters are not allowed (found U+001B)."),
        ({"version": "1\x85"}, None, "metadata.version", "Control characters are not allowed (found U+0085)."),
        ({"title": "no\ufffe"}, None, "metadata.title", "Invalid character U+FFFE."),
        ({"publication_date": "2024\x0c"}, None, "metadata.publication_date",
         "Control characters are not allowed (found U+000C)."),
        ({}, {"journal:journal": {"title": "J\x01"}}, "custom_fields.journal:journal.title",
         "Control characters are not allowed (found U+0001)."),
    ],
)  # fmt: skip
def test_control_characters(metadata: dict[str, Any], custom: Any, path: str, message: str) -> None:
    assert errors_of(metadata, custom) == {path: [message]}


def test_tab_newline_and_carriage_return_are_allowed() -> None:
    assert valid({"title": "a\tb\r\nc"}).metadata["title"] == "a\tb\r\nc"


@pytest.mark.parametrize(
    ("metadata", "custom", "path", "message"),
    [
        ({"publication_date": "2023-02-30"}, None, "metadata.publication_date",
         "Invalid date: 2023-02-30 is not a calendar date."),
        ({"publication_date": "2023-02-29"}, None, "metadata.publication_date",
         "Invalid date: 2023-02-29 is not a calendar date."),
        ({"publication_date": "../2020"}, None, "metadata.publication_date",
         "Invalid date: ../2020 is open-ended; give both ends of the interval."),
        ({"publication_date": "May 2024"}, None, "metadata.publication_date",
         "Invalid date: May 2024 is not a date like 2024, 2024-05 or 2024-05-17."),
        ({"dates": [{"date": "2021/2020", "type": {"id": "collected"}}]}, None, "metadata.dates.0.date",
         "Invalid date: the interval 2021/2020 ends before it starts."),
        ({}, {"thesis:thesis": {"date_submitted": "2024-02-30"}}, "custom_fields.thesis:thesis.date_submitted",
         "Invalid date: 2024-02-30 is not a calendar date."),
    ],
)  # fmt: skip
def test_dates(metadata: dict[str, Any], custom: Any, path: str, message: str) -> None:
    assert errors_of(metadata, custom) == {path: [message]}


def test_open_intervals_allowed_in_dates() -> None:
    dates = [
        {"date": "../2020", "type": {"id": "valid"}},
        {"date": "2020-05/..", "type": {"id": "Collected"}},
    ]
    result = valid({"dates": dates, "publication_date": "2020/2022-06"})
    assert [d["date"] for d in result.metadata["dates"]] == ["../2020", "2020-05/.."]
    assert result.metadata["dates"][1]["type"]["props"] == {"datacite": "Collected"}


@pytest.mark.parametrize(
    ("metadata", "custom", "path", "message"),
    [
        ({"resource_type": {"id": "journal-paper"}}, None, "metadata.resource_type.id",
         "Unknown resource type 'journal-paper'."),
        ({"rights": [{"id": "cc-by-9.0"}]}, None, "metadata.rights.0.id", "Unknown licence 'cc-by-9.0'."),
        ({"languages": [{"id": "english"}]}, None, "metadata.languages.0.id", "Unknown language 'english'."),
        ({"related_identifiers": [{"identifier": "10.1/x", "relation_type": {"id": "likes"}}]}, None,
         "metadata.related_identifiers.0.relation_type.id", "Unknown relation type 'likes'."),
        ({"related_identifiers": [{"identifier": "10.1/x", "resource_type": {"id": "cake"}}]}, None,
         "metadata.related_identifiers.0.resource_type.id", "Unknown resource type 'cake'."),
        ({"contributors": [{**creator(), "role": {"id": "boss"}}]}, None, "metadata.contributors.0.role.id",
         "Unknown role 'boss'."),
        ({"dates": [{"date": "2020", "type": {"id": "birthday"}}]}, None, "metadata.dates.0.type.id",
         "Unknown date type 'birthday'."),
        ({"additional_descriptions": [{"description": "x", "type": {"id": "summary"}}]}, None,
         "metadata.additional_descriptions.0.type.id", "Unknown description type 'summary'."),
        ({"additional_titles": [{"title": "x", "type": {"id": "nickname"}}]}, None,
         "metadata.additional_titles.0.type.id", "Unknown title type 'nickname'."),
        ({"additional_titles": [{"title": "x", "lang": {"id": "qqq"}}]}, None,
         "metadata.additional_titles.0.lang.id", "Unknown language 'qqq'."),
        ({"rights": [{"title": {"xx": "Mine"}}]}, None, "metadata.rights.0.title.xx", "Unknown language 'xx'."),
        ({}, {"code:developmentStatus": {"id": "done"}}, "custom_fields.code:developmentStatus.id",
         "Unknown development status 'done'."),
    ],
)  # fmt: skip
def test_unknown_vocabulary_values(metadata: dict[str, Any], custom: Any, path: str, message: str) -> None:
    assert errors_of(metadata, custom) == {path: [message]}


@pytest.mark.parametrize(
    ("metadata", "custom", "path", "message"),
    [
        ({"creators": [creator(identifiers=[{"scheme": "orcid", "identifier": "0000-0002-1825-0098"}])]}, None,
         "metadata.creators.0.person_or_org.identifiers.0.identifier", "Invalid ORCID: wrong check digit."),
        ({"creators": [{**creator(), "affiliations": [{"id": "01ggx4158", "name": "CERN"}]}]}, None,
         "metadata.creators.0.affiliations.0.id", "Invalid ROR id: wrong check digits."),
        ({"creators": [{"person_or_org": {"type": "organizational", "name": "CERN",
                                          "identifiers": [{"scheme": "ror", "identifier": "01ggx415x"}]}}]}, None,
         "metadata.creators.0.person_or_org.identifiers.0.identifier",
         "Invalid ROR id: expected 9 characters like 01ggx4157."),
        ({"funding": [{"funder": {"id": "12345", "name": "F"}}]}, None, "metadata.funding.0.funder.id",
         "Invalid ROR id: expected 9 characters like 01ggx4157."),
        ({"related_identifiers": [{"scheme": "doi", "identifier": "doi:11.1/x"}]}, None,
         "metadata.related_identifiers.0.identifier", "Invalid DOI: expected a DOI like 10.1234/abc."),
        ({"related_identifiers": [{"identifier": "just some words"}]}, None,
         "metadata.related_identifiers.0.identifier", "Unrecognised identifier; give its scheme, one of: "),
        ({"identifiers": [{"scheme": "foo", "identifier": "bar"}]}, None, "metadata.identifiers.0.scheme",
         "Identifier scheme 'foo' is unknown; use one of: "),
        ({"creators": [creator(identifiers=[{"scheme": "doi", "identifier": "10.1/x"}])]}, None,
         "metadata.creators.0.person_or_org.identifiers.0.scheme",
         "Identifier scheme 'doi' is not allowed here; use one of: orcid, gnd, isni, url, ror."),
        ({"creators": [creator(identifiers=[{"scheme": "ror", "identifier": "01ggx4157"}])]}, None,
         "metadata.creators.0.person_or_org.identifiers.0.scheme", "'ror' is not an identifier of a person."),
        ({"creators": [{"person_or_org": {"type": "organizational", "name": "CERN",
                                          "identifiers": [{"identifier": "0000-0002-1825-0097"}]}}]}, None,
         "metadata.creators.0.person_or_org.identifiers.0.scheme", "'orcid' is not an identifier of an organisation."),
        ({"creators": [{"person_or_org": {"type": "organizational", "name": "CERN", "family_name": "X"}}]}, None,
         "metadata.creators.0.person_or_org.family_name", "Only a person has this name part."),
        ({"rights": [{"title": {"en": "Mine"}, "link": "ftp://example.org"}]}, None, "metadata.rights.0.link",
         "Invalid URL: it must start with http:// or https://."),
        ({}, {"journal:journal": {"issn": "1234-5678"}}, "custom_fields.journal:journal.issn", "Invalid ISSN."),
        ({}, {"imprint:imprint": {"isbn": "978-3-16-148410-1"}}, "custom_fields.imprint:imprint.isbn", "Invalid ISBN."),
        ({}, {"meeting:meeting": {"url": "www.example.org"}}, "custom_fields.meeting:meeting.url",
         "Invalid URL: it must start with http:// or https://."),
        ({}, {"code:codeRepository": "javascript:alert(1)"}, "custom_fields.code:codeRepository",
         "Invalid URL: it must start with http:// or https://."),
        ({"locations": {"features": [{"identifiers": [{"scheme": "geonames", "identifier": "Geneva"}]}]}}, None,
         "metadata.locations.features.0.identifiers.0.identifier",
         "Invalid GeoNames id: expected a number like 2661552."),
    ],
)  # fmt: skip
def test_invalid_identifiers_and_urls(metadata: dict[str, Any], custom: Any, path: str, message: str) -> None:
    errors = errors_of(metadata, custom)
    assert list(errors) == [path]
    assert len(errors[path]) == 1 and errors[path][0].startswith(message)


@pytest.mark.parametrize(
    ("geometry", "path", "message"),
    [
        ({"type": "Point", "coordinates": [200, 0]}, "geometry.coordinates",
         "A point is [longitude, latitude], longitude from -180 to 180, latitude from -90 to 90."),
        ({"type": "Point", "coordinates": [0, 91]}, "geometry.coordinates",
         "A point is [longitude, latitude], longitude from -180 to 180, latitude from -90 to 90."),
        ({"type": "Point", "coordinates": [10**400, 0]}, "geometry.coordinates",
         "A point is [longitude, latitude], longitude from -180 to 180, latitude from -90 to 90."),
        ({"type": "Point", "coordinates": ["6", "46"]}, "geometry.coordinates",
         "A point is [longitude, latitude], longitude from -180 to 180, latitude from -90 to 90."),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "geometry.coordinates",
         "A polygon ring must end where it starts."),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "geometry.coordinates",
         "A polygon ring has 4 to 10000 positions."),
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "geometry.type", "Must be one of: Point, Polygon."),
    ],
)  # fmt: skip
def test_invalid_geometries(geometry: dict[str, Any], path: str, message: str) -> None:
    errors = errors_of({"locations": {"features": [{"geometry": geometry}]}})
    assert errors == {f"metadata.locations.features.0.{path}": [message]}


def test_all_problems_are_reported_at_once() -> None:
    metadata = {
        "title": 5,
        "colour": "blue",
        "publication_date": "2023-02-30",
        "resource_type": {"id": "nope"},
        "rights": [{"id": "cc-by-9.0"}],
        "creators": [creator(identifiers=[{"scheme": "orcid", "identifier": "0000-0002-1825-0098"}])],
    }
    errors = errors_of(metadata, {"journal:journal": {"issn": "1234-5678"}, "x": 1})
    assert errors == {
        "metadata.title": ["Not a valid string."],
        "metadata.colour": ["Unknown field."],
        "metadata.publication_date": ["Invalid date: 2023-02-30 is not a calendar date."],
        "metadata.resource_type.id": ["Unknown resource type 'nope'."],
        "metadata.rights.0.id": ["Unknown licence 'cc-by-9.0'."],
        "metadata.creators.0.person_or_org.identifiers.0.identifier": ["Invalid ORCID: wrong check digit."],
        "custom_fields.journal:journal.issn": ["Invalid ISSN."],
        "custom_fields.x": ["Unknown field."],
    }


def test_error_is_a_callimachus_validation_error_with_field_errors() -> None:
    with pytest.raises(ValidationError) as raised:
        validate_metadata({"title": 1}, {})
    body = [e.as_dict() for e in raised.value.errors]
    assert body == [{"field": "metadata.title", "messages": ["Not a valid string."]}]
