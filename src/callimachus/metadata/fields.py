"""Building blocks of the record schema: checked string types, vocabulary references, identifiers.

Each type validates and normalises one value; the models in ``schema`` and ``custom_fields``
put them together. Validators raise ``ValueError`` with a message for people (the validation
layer turns pydantic's errors into field paths and these messages), or, when a check on a whole
object must point at one of its fields, ``fail`` with the field's location.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, ClassVar, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from callimachus.metadata import dates, html, identifiers
from callimachus.metadata.vocabularies import get_vocabulary

SHORT_TEXT = 1_000
TITLE_TEXT = 2_000
LONG_TEXT = 10_000
HTML_TEXT = 100_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NOT_A_CHARACTER = re.compile("[\ud800-\udfff\ufffe\uffff]")


class Model(BaseModel):
    """Base of every schema model: unknown fields are errors, inputs are not echoed in errors."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


def fail(errors: Iterable[tuple[tuple[str | int, ...], str]]) -> NoReturn:
    """Raise errors located below the object being validated (``(("identifier",), "Invalid …")``)."""
    details = [
        InitErrorDetails(
            type=PydanticCustomError("invalid", "{message}", {"message": message}), loc=loc, input=None
        )
        for loc, message in errors
    ]
    raise ValidationError.from_exception_data("metadata", details)


def check_characters(value: str) -> None:
    """Refuse characters no export format can carry: controls other than tab, LF, CR; U+FFFE/F; lone surrogates."""
    control = _CONTROL.search(value)
    if control:
        raise ValueError(f"Control characters are not allowed (found U+{ord(control.group()):04X}).")
    bad = _NOT_A_CHARACTER.search(value)
    if bad:
        raise ValueError(f"Invalid character U+{ord(bad.group()):04X}.")


def _text(max_length: int) -> Callable[[str], str]:
    def clean(value: str) -> str:
        check_characters(value)
        text = value.strip()
        if len(text) > max_length:
            raise ValueError(f"At most {max_length} characters.")
        return text

    return clean


def _html(value: str) -> str:
    check_characters(value)
    if len(value) > 4 * HTML_TEXT:
        raise ValueError(f"At most {HTML_TEXT} characters.")
    text = html.sanitize_html(value)
    if len(text) > HTML_TEXT:
        raise ValueError(f"At most {HTML_TEXT} characters.")
    return text


def _with_characters_checked(normalize: Callable[[str], str]) -> Callable[[str], str]:
    def clean(value: str) -> str:
        check_characters(value)
        return normalize(value) if value.strip() else ""

    return clean


def _language_key(value: str) -> str:
    key = value.strip().lower()
    if not re.fullmatch(r"[a-z]{2,3}", key) or get_vocabulary("languages").get(key) is None:
        raise ValueError(f"Unknown language '{value}'.")
    return key


StrictStr = Annotated[str, Strict()]
ShortText = Annotated[StrictStr, AfterValidator(_text(SHORT_TEXT))]
TitleText = Annotated[StrictStr, AfterValidator(_text(TITLE_TEXT))]
LongText = Annotated[StrictStr, AfterValidator(_text(LONG_TEXT))]
HtmlText = Annotated[StrictStr, AfterValidator(_html)]
Url = Annotated[StrictStr, AfterValidator(_with_characters_checked(identifiers.normalize_url))]
RorId = Annotated[StrictStr, AfterValidator(_with_characters_checked(identifiers.normalize_ror))]
Issn = Annotated[
    StrictStr, AfterValidator(_with_characters_checked(lambda v: identifiers.normalize_identifier("issn", v)))
]
Isbn = Annotated[
    StrictStr, AfterValidator(_with_characters_checked(lambda v: identifiers.normalize_identifier("isbn", v)))
]
EdtfDate = Annotated[StrictStr, AfterValidator(_with_characters_checked(dates.normalize_edtf))]
EdtfDateOrOpen = Annotated[
    StrictStr, AfterValidator(_with_characters_checked(lambda v: dates.normalize_edtf(v, allow_open=True)))
]
LanguageKey = Annotated[StrictStr, AfterValidator(_language_key)]
LangText = dict[LanguageKey, ShortText]
LangLongText = dict[LanguageKey, LongText]


# --- vocabulary references -----------------------------------------------------------------------


class VocabularyRef(Model):
    """``{"id"}`` of a vocabulary entry; stored as ``{"id", "title"[, "props"]}``.

    ``title`` and ``props`` are accepted so that stored metadata validates again, and are always
    replaced by the vocabulary's own.
    """

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""

    id: ShortText | None = None
    title: Any = None
    props: Any = None

    @field_validator("id")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if not value:
            return None
        entry = get_vocabulary(cls.kind).get(value)
        if entry is None:
            raise ValueError(f"Unknown {cls.label} '{value}'.")
        return entry.id

    @model_validator(mode="after")
    def _expand(self) -> VocabularyRef:
        self.title = self.props = None
        if self.id is not None:
            entry = get_vocabulary(self.kind).get(self.id)
            if entry is not None:
                self.title = dict(entry.title)
                self.props = dict(entry.props) or None
        return self


class ResourceTypeRef(VocabularyRef):
    kind = "resourcetypes"
    label = "resource type"


class LanguageRef(VocabularyRef):
    kind = "languages"
    label = "language"


class RelationTypeRef(VocabularyRef):
    kind = "relationtypes"
    label = "relation type"


class RoleRef(VocabularyRef):
    kind = "creatorroles"
    label = "role"


class DateTypeRef(VocabularyRef):
    kind = "datetypes"
    label = "date type"


class DescriptionTypeRef(VocabularyRef):
    kind = "descriptiontypes"
    label = "description type"


class TitleTypeRef(VocabularyRef):
    kind = "titletypes"
    label = "title type"


class DevelopmentStatusRef(VocabularyRef):
    kind = "developmentstatuses"
    label = "development status"


# --- identifiers ---------------------------------------------------------------------------------


def check_scheme(scheme: str, allowed: tuple[str, ...]) -> str:
    """The lower-case scheme name; ``fail`` at ``scheme`` unless it is one of ``allowed``."""
    name = scheme.lower()
    if name not in allowed:
        reason = "is not allowed here" if name in identifiers.NORMALIZERS else "is unknown"
        fail([(("scheme",), f"Identifier scheme '{scheme}' {reason}; use one of: {', '.join(allowed)}.")])
    return name


def resolve_identifier(scheme: str | None, value: str, allowed: tuple[str, ...]) -> tuple[str, str]:
    """``(scheme, normalised value)``; the scheme is detected when not given.

    Raises ``fail`` located at ``scheme`` or ``identifier``.
    """
    if scheme is not None:
        name = check_scheme(scheme, allowed)
        try:
            return name, identifiers.normalize_identifier(name, value)
        except ValueError as error:
            fail([(("identifier",), str(error))])
    detected = identifiers.detect_scheme(value, allowed)
    if detected is None:
        fail([(("identifier",), f"Unrecognised identifier; give its scheme, one of: {', '.join(allowed)}.")])
    return detected, identifiers.normalize_identifier(detected, value)


class SchemedIdentifier(Model):
    """``{"scheme", "identifier"}``: the scheme is detected when absent, the value normalised."""

    allowed: ClassVar[tuple[str, ...]] = identifiers.RECORD_SCHEMES

    scheme: ShortText | None = None
    identifier: ShortText | None = None

    @model_validator(mode="after")
    def _resolve(self) -> SchemedIdentifier:
        self.scheme = check_scheme(self.scheme, self.allowed) if self.scheme else None
        if self.identifier:
            self.scheme, self.identifier = resolve_identifier(self.scheme, self.identifier, self.allowed)
        return self


class CreatorIdentifier(SchemedIdentifier):
    allowed = tuple(dict.fromkeys(identifiers.PERSON_SCHEMES + identifiers.ORGANIZATION_SCHEMES))
