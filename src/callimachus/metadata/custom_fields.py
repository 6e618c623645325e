"""The ``custom_fields`` object of a record (docs/metadata.md): Zenodo's namespaced extra fields.

Keys are the namespaced names clients send (``journal:journal``); every one is optional.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field, field_validator

from callimachus.metadata.fields import (
    DevelopmentStatusRef,
    EdtfDate,
    Isbn,
    Issn,
    LangText,
    Model,
    ShortText,
    Url,
)

MAX_LANGUAGES = 100


class Journal(Model):
    title: ShortText | None = None
    volume: ShortText | None = None
    issue: ShortText | None = None
    pages: ShortText | None = None
    issn: Issn | None = None


class Meeting(Model):
    title: ShortText | None = None
    acronym: ShortText | None = None
    dates: ShortText | None = None
    place: ShortText | None = None
    url: Url | None = None
    session: ShortText | None = None
    session_part: ShortText | None = None


class Imprint(Model):
    """The book a chapter appears in, or a book's own imprint."""

    title: ShortText | None = None
    isbn: Isbn | None = None
    place: ShortText | None = None
    pages: ShortText | None = None
    edition: ShortText | None = None


class Thesis(Model):
    university: ShortText | None = None
    department: ShortText | None = None
    type: ShortText | None = None
    date_submitted: EdtfDate | None = None
    date_defended: EdtfDate | None = None


class ProgrammingLanguage(Model):
    """A programming language by name (``{"id": "python"}``); a bare string is stored as ``{"id"}``."""

    id: ShortText | None = None
    title: LangText | None = None


class CustomFields(Model):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, populate_by_name=False)

    journal: Journal | None = Field(default=None, alias="journal:journal")
    meeting: Meeting | None = Field(default=None, alias="meeting:meeting")
    imprint: Imprint | None = Field(default=None, alias="imprint:imprint")
    thesis: Thesis | None = Field(default=None, alias="thesis:thesis")
    code_repository: Url | None = Field(default=None, alias="code:codeRepository")
    programming_languages: Annotated[list[ProgrammingLanguage], Field(max_length=MAX_LANGUAGES)] | None = (
        Field(default=None, alias="code:programmingLanguage")
    )
    development_status: DevelopmentStatusRef | None = Field(default=None, alias="code:developmentStatus")

    @field_validator("programming_languages", mode="before")
    @classmethod
    def _names_as_objects(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"id": item} if isinstance(item, str) else item for item in value]
        return value
