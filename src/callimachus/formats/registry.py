"""The one table of export formats: Zenodo's names, media types, file extensions, OAI prefixes.

``by_name`` serves ``/records/{id}/export/{name}``; ``by_media_type`` and ``negotiate`` serve
``Accept`` content negotiation on ``/api/records/{id}`` (including ``text/x-bibliography`` with
``style``/``locale`` parameters); ``oai_formats`` lists the OAI-PMH metadata prefixes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from callimachus.formats import (
    bibtex,
    cff,
    citation,
    codemeta,
    csl,
    datacite_json,
    datacite_xml,
    dcat,
    dublincore,
    geojson,
    marcxml,
    native,
    openaire,
    schemaorg,
)
from callimachus.formats.base import FormatContext, Record


@dataclass(frozen=True)
class ExportFormat:
    """One serialization of a record.

    ``export`` formats have a public export URL; ``oai_prefix`` formats are offered by OAI-PMH
    with ``namespace`` and ``schema``. ``profile`` is the URI announced in signposting links.
    """

    name: str
    title: str
    media_type: str
    extension: str
    serializer: Callable[[Record, FormatContext], bytes | str]
    aliases: tuple[str, ...] = ()
    profile: str | None = None
    export: bool = True
    oai_prefix: str | None = None
    namespace: str | None = None
    schema: str | None = None

    def render(self, record: Record, ctx: FormatContext) -> bytes:
        """The serialization as bytes (text formats encoded as UTF-8)."""
        data = self.serializer(record, ctx)
        return data.encode("utf-8") if isinstance(data, str) else data

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value (text types carry ``charset=utf-8``)."""
        return f"{self.media_type}; charset=utf-8" if self.media_type.startswith("text/") else self.media_type

    def filename(self, record_id: str) -> str:
        return f"{record_id}.{self.extension}"


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("json", "JSON", "application/json", "json", native.serialize,
                 aliases=("application/vnd.inveniordm.v1+json",)),
    ExportFormat("json-ld", "JSON-LD (schema.org)", "application/ld+json", "jsonld", schemaorg.serialize,
                 profile="https://schema.org"),
    ExportFormat("csl", "CSL", "application/vnd.citationstyles.csl+json", "json", csl.serialize),
    ExportFormat("datacite-json", "DataCite JSON", "application/vnd.datacite.datacite+json", "json",
                 datacite_json.serialize, profile="http://datacite.org/schema/kernel-4"),
    ExportFormat("datacite-xml", "DataCite XML", "application/vnd.datacite.datacite+xml", "xml", datacite_xml.serialize,
                 aliases=("application/x-datacite+xml",), profile="http://datacite.org/schema/kernel-4"),
    ExportFormat("dublincore", "Dublin Core", "application/x-dc+xml", "xml", dublincore.serialize,
                 profile="http://purl.org/dc/elements/1.1/"),
    ExportFormat("marcxml", "MARCXML", "application/marcxml+xml", "xml", marcxml.serialize,
                 profile="http://www.loc.gov/MARC21/slim"),
    ExportFormat("bibtex", "BibTeX", "application/x-bibtex", "bib", bibtex.serialize),
    ExportFormat("geojson", "GeoJSON", "application/vnd.geo+json", "geojson", geojson.serialize),
    ExportFormat("dcat-ap", "DCAT-AP", "application/dcat+xml", "xml", dcat.serialize,
                 profile="http://data.europa.eu/r5r/"),
    ExportFormat("codemeta", "CodeMeta", "application/ld+json", "json", codemeta.serialize,
                 profile=codemeta.CONTEXT),
    ExportFormat("cff", "Citation File Format", "application/x-yaml", "cff", cff.serialize,
                 aliases=("application/yaml",)),
    ExportFormat("citation", "Formatted citation", "text/x-bibliography", "txt", citation.serialize, export=False),
    ExportFormat("oai_dc", "OAI Dublin Core", "application/xml", "xml", dublincore.serialize, export=False,
                 oai_prefix="oai_dc", namespace=dublincore.OAI_DC_NS,
                 schema="http://www.openarchives.org/OAI/2.0/oai_dc.xsd"),
    ExportFormat("oai_datacite", "OAI DataCite", "application/xml", "xml", datacite_xml.serialize_oai, export=False,
                 oai_prefix="oai_datacite", namespace=datacite_xml.OAI_DATACITE_NS, schema=datacite_xml.OAI_DATACITE_XSD),
    ExportFormat("datacite", "DataCite kernel 4", "application/xml", "xml", datacite_xml.serialize, export=False,
                 oai_prefix="datacite", namespace=datacite_xml.NS, schema=datacite_xml.SCHEMA_LOCATION),
    ExportFormat("oai_openaire", "OpenAIRE v4", "application/xml", "xml", openaire.serialize, export=False,
                 oai_prefix="oai_openaire", namespace=openaire.OAIRE,
                 schema="https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd"),
    ExportFormat("marc21", "MARC 21", "application/xml", "xml", marcxml.serialize, export=False,
                 oai_prefix="marc21", namespace="http://www.loc.gov/MARC21/slim",
                 schema="http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"),
)

_BY_NAME = {f.name: f for f in FORMATS}


def by_name(name: str) -> ExportFormat | None:
    """The format called ``name`` (case-insensitive), or ``None``."""
    return _BY_NAME.get(name.strip().lower())


def export_formats() -> list[ExportFormat]:
    """Formats offered at ``/records/{id}/export/{name}``, in display order."""
    return [f for f in FORMATS if f.export]


def oai_formats() -> list[ExportFormat]:
    """Formats offered as OAI-PMH metadata prefixes."""
    return [f for f in FORMATS if f.oai_prefix]


def by_oai_prefix(prefix: str) -> ExportFormat | None:
    return next((f for f in FORMATS if f.oai_prefix == prefix), None)


def parse_media_type(value: str) -> tuple[str, dict[str, str]]:
    """``("text/x-bibliography", {"style": "apa"})`` from ``text/x-bibliography; style=apa``."""
    main, *params = value.split(";")
    parsed = {}
    for param in params:
        key, sep, val = param.partition("=")
        if sep:
            parsed[key.strip().lower()] = val.strip().strip('"')
    return main.strip().lower(), parsed


def by_media_type(value: str) -> ExportFormat | None:
    """The format for a media type (aliases included); a ``profile`` parameter picks CodeMeta."""
    media_type, params = parse_media_type(value)
    candidates = [f for f in FORMATS if (f.export or f.name == "citation")
                  and (f.media_type == media_type or media_type in f.aliases)]
    if not candidates:
        return None
    profile = params.get("profile")
    if profile:
        for fmt in candidates:
            if fmt.profile and fmt.profile.rstrip("/") == profile.rstrip("/"):
                return fmt
    return candidates[0]


def negotiate(accept: str | None, default: str = "json") -> ExportFormat | None:
    """The best format for an ``Accept`` header (q-values honoured; ``*/*`` gives ``default``)."""
    if not accept or not accept.strip():
        return by_name(default)
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media_type, params = parse_media_type(part)
        try:
            quality = float(params.pop("q", "1"))
        except ValueError:
            quality = 0.0
        if quality > 0:
            rest = "".join(f";{k}={v}" for k, v in params.items())
            ranked.append((-quality, index, media_type + rest))
    for _, _, candidate in sorted(ranked):
        if candidate.split(";")[0] in ("*/*", "application/*"):
            return by_name(default)
        if found := by_media_type(candidate):
            return found
    return None
