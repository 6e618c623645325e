"""Validating and normalising what a client sends as ``metadata`` and ``custom_fields``.

``validate_metadata`` refuses anything present but wrong, reporting every problem at once with
its dotted path from the request root, and returns the normalised form to store. What is merely
missing is not an error for a draft: ``missing_for_publish`` lists it, and publishing refuses
while that list is not empty.

The normalised form is plain JSON (dicts, lists, strings, numbers, booleans) with empty values
dropped; validating it again returns it unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pydantic

from callimachus.core.errors import FieldError, ValidationError
from callimachus.metadata.custom_fields import CustomFields
from callimachus.metadata.schema import Metadata

REQUIRED = "Missing data for required field."
LICENCE_REQUIRED = "A licence is required."


@dataclass(frozen=True)
class ValidatedMetadata:
    """Normalised ``metadata`` and ``custom_fields``, and what is still missing to publish."""

    metadata: dict[str, Any]
    custom_fields: dict[str, Any]
    missing: list[FieldError] = field(default_factory=list)


def validate_metadata(metadata: object, custom_fields: object) -> ValidatedMetadata:
    """Validate and normalise; raise ``ValidationError`` listing every wrong value.

    ``None`` stands for an empty object. ``missing`` is what ``missing_for_publish`` reports
    without requiring a licence, so that saving a draft can tell the client what is left.
    """
    errors: list[tuple[str, str]] = []
    metadata_out = _validate(Metadata, "metadata", metadata, errors)
    custom_out = _validate(CustomFields, "custom_fields", custom_fields, errors)
    if errors:
        raise ValidationError(_group(errors))
    return ValidatedMetadata(
        metadata=metadata_out,
        custom_fields=custom_out,
        missing=missing_for_publish(metadata_out, custom_out, licence_required=False),
    )


def _validate(
    model: type[pydantic.BaseModel], root: str, value: object, errors: list[tuple[str, str]]
) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append((root, "Not a valid object."))
        return {}
    try:
        validated = model.model_validate(value)
    except pydantic.ValidationError as error:
        errors.extend((_path(root, e["loc"]), _message(e)) for e in error.errors(include_url=False))
        return {}
    dumped = validated.model_dump(mode="json", by_alias=True, exclude_none=True)
    return _prune(dumped) or {}


def _prune(value: Any) -> Any:
    """Drop None, empty strings, empty lists and empty objects from objects; keep list positions of objects."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [_prune(v) for v in value]
        # An empty object in a list keeps its place, so paths in messages match the request.
        return [v for v in items if v not in (None, "", [])]
    return value


def _path(root: str, loc: tuple[int | str, ...]) -> str:
    return ".".join([root, *(str(part) for part in loc if part != "[key]")])


def _message(error: Any) -> str:
    """A readable message for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "too_long":
        return f"At most {ctx.get('max_length')} items."
    if kind == "literal_error":
        choices = _QUOTED.findall(str(ctx.get("expected", "")))
        return f"Must be one of: {', '.join(choices)}."
    fixed = _FIXED_MESSAGES.get(kind)
    return fixed if fixed else str(error["msg"])


_QUOTED = re.compile(r"'([^']*)'")
_FIXED_MESSAGES = {
    "extra_forbidden": "Unknown field.",
    "missing": REQUIRED,
    "string_type": "Not a valid string.",
    "list_type": "Not a valid list.",
    "dict_type": "Not a valid object.",
    "model_type": "Not a valid object.",
    "model_attributes_type": "Not a valid object.",
    "bool_type": "Not a valid boolean.",
    "int_type": "Not a valid integer.",
    "float_type": "Not a valid number.",
}


def _group(errors: list[tuple[str, str]]) -> list[FieldError]:
    grouped: dict[str, list[str]] = {}
    for path, message in errors:
        messages = grouped.setdefault(path, [])
        if message not in messages:
            messages.append(message)
    return [FieldError(path, messages) for path, messages in grouped.items()]


# --- what publishing requires --------------------------------------------------------------------


def missing_for_publish(
    metadata: dict[str, Any], custom_fields: dict[str, Any], *, licence_required: bool
) -> list[FieldError]:
    """Required values absent from normalised metadata, as errors naming each field.

    Publishing needs a resource type, a title, a publication date and at least one creator; and
    a licence from the vocabulary when ``licence_required`` (files open or embargoed). Objects that
    are present need their own essentials: a person's family name, an organisation's name, a
    contributor's role, a funder's name, a location's geometry or place, and so on.
    """
    found = _Missing()
    m = metadata if isinstance(metadata, dict) else {}
    found.need("metadata.resource_type", _get(m, "resource_type", "id"))
    found.need("metadata.title", m.get("title"))
    found.need("metadata.publication_date", m.get("publication_date"))
    found.need("metadata.creators", m.get("creators"))
    for i, creator in _items(m, "creators"):
        _creator(found, f"metadata.creators.{i}", creator, role_required=False)
    for i, contributor in _items(m, "contributors"):
        _creator(found, f"metadata.contributors.{i}", contributor, role_required=True)
    _rights(found, m, licence_required)
    _each(found, m, "additional_titles", ("title", "type"))
    _each(found, m, "additional_descriptions", ("description", "type"))
    _each(found, m, "subjects", ("subject",))
    _each(found, m, "dates", ("date", "type"))
    _each(found, m, "identifiers", ("identifier", "scheme"))
    _each(found, m, "related_identifiers", ("identifier", "scheme", "relation_type"))
    _each(found, m, "references", ("reference",))
    _funding(found, m)
    _locations(found, m)
    return found.errors


class _Missing:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def need(self, path: str, value: Any, message: str = REQUIRED) -> None:
        if value in (None, "", [], {}):
            self.errors.append(FieldError(path, [message]))


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _items(obj: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item if isinstance(item, dict) else {}) for i, item in enumerate(value)]


def _each(found: _Missing, m: dict[str, Any], key: str, required: tuple[str, ...]) -> None:
    for i, item in _items(m, key):
        for name in required:
            value = item.get(name)
            found.need(f"metadata.{key}.{i}.{name}", value.get("id") if isinstance(value, dict) else value)


def _creator(found: _Missing, path: str, creator: dict[str, Any], *, role_required: bool) -> None:
    person = creator.get("person_or_org")
    found.need(f"{path}.person_or_org", person)
    if isinstance(person, dict) and person:
        kind = person.get("type")
        found.need(f"{path}.person_or_org.type", kind)
        if kind == "personal":
            found.need(f"{path}.person_or_org.family_name", person.get("family_name"))
        elif kind == "organizational":
            found.need(f"{path}.person_or_org.name", person.get("name"))
        for i, ident in _items(person, "identifiers"):
            found.need(f"{path}.person_or_org.identifiers.{i}.identifier", ident.get("identifier"))
    if role_required:
        found.need(f"{path}.role", _get(creator, "role", "id"))
    for i, affiliation in _items(creator, "affiliations"):
        found.need(f"{path}.affiliations.{i}.name", affiliation.get("name"))


def _rights(found: _Missing, m: dict[str, Any], licence_required: bool) -> None:
    rights = _items(m, "rights")
    for i, right in rights:
        if not right.get("id"):
            found.need(f"metadata.rights.{i}.title", right.get("title"))
    if licence_required and not any(right.get("id") for _, right in rights):
        found.errors.append(FieldError("metadata.rights", [LICENCE_REQUIRED]))


def _funding(found: _Missing, m: dict[str, Any]) -> None:
    for i, funding in _items(m, "funding"):
        path = f"metadata.funding.{i}"
        found.need(f"{path}.funder.name", _get(funding, "funder", "name"))
        award = funding.get("award")
        if isinstance(award, dict) and award and not award.get("id"):
            found.need(f"{path}.award.number", award.get("number"))
            found.need(f"{path}.award.title", award.get("title"))
        for j, ident in _items(award, "identifiers"):
            found.need(f"{path}.award.identifiers.{j}.identifier", ident.get("identifier"))


def _locations(found: _Missing, m: dict[str, Any]) -> None:
    for i, feature in _items(m.get("locations"), "features"):
        if not feature.get("geometry") and not feature.get("place"):
            found.errors.append(
                FieldError(f"metadata.locations.features.{i}", ["A location needs a geometry or a place."])
            )
        geometry = feature.get("geometry")
        if isinstance(geometry, dict) and geometry:
            found.need(f"metadata.locations.features.{i}.geometry.type", geometry.get("type"))
            found.need(f"metadata.locations.features.{i}.geometry.coordinates", geometry.get("coordinates"))
        for j, ident in _items(feature, "identifiers"):
            found.need(f"metadata.locations.features.{i}.identifiers.{j}.identifier", ident.get("identifier"))
