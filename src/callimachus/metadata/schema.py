"""The ``metadata`` object of a record (docs/metadata.md), as pydantic models.

Every field is optional here because a draft may be incomplete; what publishing requires is
checked by ``validation.missing_for_publish``. What is present must be right: unknown fields,
wrong types, unknown vocabulary ids, invalid identifiers and impossible dates are errors.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from callimachus.metadata import identifiers
from callimachus.metadata.fields import (
    CreatorIdentifier,
    DateTypeRef,
    DescriptionTypeRef,
    EdtfDate,
    EdtfDateOrOpen,
    HtmlText,
    LangLongText,
    LangText,
    LanguageRef,
    Model,
    RelationTypeRef,
    ResourceTypeRef,
    RoleRef,
    RorId,
    SchemedIdentifier,
    ShortText,
    TitleText,
    TitleTypeRef,
    Url,
    fail,
)
from callimachus.metadata.vocabularies import get_vocabulary

MAX_CREATORS = 10_000  # large collaborations (ATLAS, CMS) list several thousand authors
MAX_MANY = 1_000
MAX_FEW = 100
MAX_POSITIONS = 10_000


class PersonOrOrg(Model):
    """A person (``family_name``, ``given_name``) or an organisation (``name``).

    A person's ``name`` is derived as "Family, Given"; a person sent with only ``name`` in that
    form (as Zenodo's legacy API does) has it split into family and given names.
    """

    type: Literal["personal", "organizational"] | None = None
    given_name: ShortText | None = None
    family_name: ShortText | None = None
    name: ShortText | None = None
    identifiers: Annotated[list[CreatorIdentifier], Field(max_length=MAX_FEW)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> PersonOrOrg:
        if self.type == "personal":
            self._derive_name()
        if self.type == "organizational":
            wrong = [
                ((f,), "Only a person has this name part.")
                for f in ("given_name", "family_name")
                if getattr(self, f)
            ]
            if wrong:
                fail(wrong)
        self._check_identifier_schemes()
        return self

    def _derive_name(self) -> None:
        if not self.family_name and not self.given_name and self.name:
            family, _, given = self.name.partition(",")
            self.family_name, self.given_name = family.strip() or None, given.strip() or None
        if self.family_name:
            self.name = f"{self.family_name}, {self.given_name}" if self.given_name else self.family_name
        elif self.given_name:
            self.name = self.given_name

    def _check_identifier_schemes(self) -> None:
        if self.type is None:
            return
        allowed = identifiers.PERSON_SCHEMES if self.type == "personal" else identifiers.ORGANIZATION_SCHEMES
        who = "a person" if self.type == "personal" else "an organisation"
        wrong = [
            (("identifiers", i, "scheme"), f"'{ident.scheme}' is not an identifier of {who}.")
            for i, ident in enumerate(self.identifiers or [])
            if ident.scheme and ident.scheme not in allowed
        ]
        if wrong:
            fail(wrong)


class Affiliation(Model):
    id: RorId | None = None
    name: ShortText | None = None


class Creator(Model):
    person_or_org: PersonOrOrg | None = None
    role: RoleRef | None = None
    affiliations: Annotated[list[Affiliation], Field(max_length=MAX_FEW)] | None = None


class AdditionalTitle(Model):
    title: TitleText | None = None
    type: TitleTypeRef | None = None
    lang: LanguageRef | None = None


class AdditionalDescription(Model):
    description: HtmlText | None = None
    type: DescriptionTypeRef | None = None
    lang: LanguageRef | None = None


class Right(Model):
    """A licence from the vocabulary (``{"id"}``) or a custom right (``title``, ``description``, ``link``).

    For a licence, title and props come from the vocabulary; anything else sent is replaced.
    """

    id: ShortText | None = None
    title: LangText | None = None
    description: LangLongText | None = None
    link: Url | None = None
    props: Any = None

    @field_validator("id")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if not value:
            return None
        entry = get_vocabulary("licenses").get(value)
        if entry is None:
            raise ValueError(f"Unknown licence '{value}'.")
        return entry.id

    @model_validator(mode="after")
    def _expand(self) -> Right:
        entry = get_vocabulary("licenses").get(self.id) if self.id else None
        if entry is None:
            self.props = None
            return self
        self.title = dict(entry.title)
        self.description = dict(entry.description) if entry.description else None
        self.props = dict(entry.props)
        self.link = None
        return self


class Subject(Model):
    id: ShortText | None = None
    subject: ShortText | None = None
    scheme: ShortText | None = None


class DateEntry(Model):
    date: EdtfDateOrOpen | None = None
    type: DateTypeRef | None = None
    description: ShortText | None = None


class RelatedIdentifier(SchemedIdentifier):
    relation_type: RelationTypeRef | None = None
    resource_type: ResourceTypeRef | None = None


class LocationIdentifier(SchemedIdentifier):
    allowed = identifiers.LOCATION_SCHEMES


def _position(value: Any) -> bool:
    """``[lon, lat]`` or ``[lon, lat, altitude]`` with numbers in range (comparisons first: huge ints)."""
    if not isinstance(value, list) or len(value) not in (2, 3):
        return False
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in value):
        return False
    in_range = -180 <= value[0] <= 180 and -90 <= value[1] <= 90 and (len(value) == 2 or abs(value[2]) <= 1e6)
    return in_range and all(math.isfinite(x) for x in value if isinstance(x, float))


class Geometry(Model):
    """A GeoJSON Point (``[lon, lat]``) or Polygon (closed rings of at least four positions)."""

    type: Literal["Point", "Polygon"] | None = None
    coordinates: Any = None

    @model_validator(mode="after")
    def _coordinates(self) -> Geometry:
        if self.type is None or self.coordinates is None:
            return self
        if self.type == "Point" and not _position(self.coordinates):
            fail(
                [
                    (
                        ("coordinates",),
                        "A point is [longitude, latitude], longitude from -180 to 180, latitude from -90 to 90.",
                    )
                ]
            )
        if self.type == "Polygon":
            problem = _polygon_problem(self.coordinates)
            if problem:
                fail([(("coordinates",), problem)])
        return self


def _polygon_problem(rings: Any) -> str | None:
    if not isinstance(rings, list) or not rings or len(rings) > MAX_FEW:
        return f"A polygon is a list of 1 to {MAX_FEW} rings."
    for ring in rings:
        if not isinstance(ring, list) or not 4 <= len(ring) <= MAX_POSITIONS:
            return f"A polygon ring has 4 to {MAX_POSITIONS} positions."
        if not all(_position(p) for p in ring):
            return "A position is [longitude, latitude], longitude from -180 to 180, latitude from -90 to 90."
        if ring[0] != ring[-1]:
            return "A polygon ring must end where it starts."
    return None


class Feature(Model):
    geometry: Geometry | None = None
    place: ShortText | None = None
    description: ShortText | None = None
    identifiers: Annotated[list[LocationIdentifier], Field(max_length=MAX_FEW)] | None = None


class Locations(Model):
    features: Annotated[list[Feature], Field(max_length=MAX_FEW)] | None = None


class Funder(Model):
    id: RorId | None = None
    name: ShortText | None = None


class Award(Model):
    id: ShortText | None = None
    number: ShortText | None = None
    title: LangText | None = None
    acronym: ShortText | None = None
    identifiers: Annotated[list[SchemedIdentifier], Field(max_length=MAX_FEW)] | None = None


class Funding(Model):
    funder: Funder | None = None
    award: Award | None = None


class Reference(SchemedIdentifier):
    reference: TitleText | None = None


class Metadata(Model):
    """The ``metadata`` object of a record."""

    resource_type: ResourceTypeRef | None = None
    creators: Annotated[list[Creator], Field(max_length=MAX_CREATORS)] | None = None
    title: TitleText | None = None
    additional_titles: Annotated[list[AdditionalTitle], Field(max_length=MAX_FEW)] | None = None
    publication_date: EdtfDate | None = None
    description: HtmlText | None = None
    additional_descriptions: Annotated[list[AdditionalDescription], Field(max_length=MAX_FEW)] | None = None
    rights: Annotated[list[Right], Field(max_length=MAX_FEW)] | None = None
    subjects: Annotated[list[Subject], Field(max_length=MAX_MANY)] | None = None
    contributors: Annotated[list[Creator], Field(max_length=MAX_CREATORS)] | None = None
    dates: Annotated[list[DateEntry], Field(max_length=MAX_FEW)] | None = None
    languages: Annotated[list[LanguageRef], Field(max_length=MAX_FEW)] | None = None
    identifiers: Annotated[list[SchemedIdentifier], Field(max_length=MAX_FEW)] | None = None
    related_identifiers: Annotated[list[RelatedIdentifier], Field(max_length=MAX_MANY)] | None = None
    sizes: Annotated[list[ShortText], Field(max_length=MAX_FEW)] | None = None
    formats: Annotated[list[ShortText], Field(max_length=MAX_FEW)] | None = None
    version: ShortText | None = None
    publisher: ShortText | None = None
    locations: Locations | None = None
    funding: Annotated[list[Funding], Field(max_length=MAX_FEW)] | None = None
    references: Annotated[list[Reference], Field(max_length=MAX_MANY)] | None = None
