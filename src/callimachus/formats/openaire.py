"""OpenAIRE Guidelines for Literature Repositories v4 (``oai_openaire``): ``<oaire:resource>``.

Built from the DataCite mapping (:func:`datacite_json.attributes`) but restricted to what the
OpenAIRE 4.0 profile accepts: its ``datacite:`` elements are based on DataCite 4.1, so newer
relation, identifier, contributor and date types are dropped or mapped to ``Other``. Resource type
and access right are COAR URIs; ``oaire:file`` is written only for files the public may see.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from callimachus.formats import common, datacite_json, vocab
from callimachus.formats.base import FormatContext, Record, sub, xml_bytes

OAIRE = "http://namespace.openaire.eu/schema/oaire/"
DATACITE = "http://datacite.org/schema/kernel-4"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{OAIRE} https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd"

# Values the OpenAIRE 4.0 XSDs enumerate (schemas/4.0/*.xsd).
_RELATIONS = frozenset(
    ["IsCitedBy", "Cites", "IsSupplementTo", "IsSupplementedBy", "IsContinuedBy", "Continues", "IsDescribedBy", "Describes", "HasVersion", "IsVersionOf", "IsNewVersionOf", "IsPreviousVersionOf", "IsPartOf", "HasPart", "IsReferencedBy", "References", "IsDocumentedBy", "Documents", "IsCompiledBy", "Compiles", "IsVariantFormOf", "IsOriginalFormOf", "IsIdenticalTo", "HasMetadata", "IsMetadataFor", "Reviews", "IsReviewedBy", "IsDerivedFrom", "IsSourceOf", "IsRequiredBy", "Requires"]
)
_IDENTIFIER_TYPES = frozenset(
    ["ARK", "arXiv", "bibcode", "DOI", "EAN13", "EISSN", "Handle", "IGSN", "ISBN", "ISSN", "ISTC", "LISSN", "LSID", "PISSN", "PMID", "PURL", "UPC", "URL", "URN", "WOS"]
)
_CONTRIBUTOR_TYPES = frozenset(vocab.DATACITE_CONTRIBUTOR_TYPES) - {"Translator"}
_DATE_TYPES = frozenset(["Accepted", "Available", "Collected", "Copyrighted", "Created", "Issued", "Submitted", "Updated", "Valid"])
_FUNDER_TYPES = frozenset({"ISNI", "GRID", "Crossref Funder ID", "ROR", "Other"})
_COAR_TYPES = frozenset(
    ["c_1162", "c_0640", "c_6501", "c_b239", "c_7a1f", "c_86bc", "c_2f33", "c_3248", "c_ba08", "c_7ad9", "c_e9a0", "c_f744", "c_c94f", "c_5794", "c_6670", "c_3e5a", "c_beb9", "c_ddb1", "c_db06", "c_c513", "c_8544", "c_0857", "c_bdcc", "c_8a7e", "c_2659", "c_545b", "c_1843", "c_15cd", "c_816b", "c_93fc", "c_ba1f", "c_baaf", "c_efa0", "c_5ce6", "c_ecc8", "c_71bd", "c_393c", "c_8042", "c_46ec", "c_12cc", "c_12cd", "c_12ce", "c_18cc", "c_18cd", "c_18cf", "c_18cp", "c_18co", "c_18cw", "c_18ww", "c_18wz", "c_18wq", "c_186u", "c_18op", "c_18hj", "c_18ws", "c_18gh", "c_dcae04bc", "c_2df8fbb1"]
)
_GENERAL = {"publication": "literature", "dataset": "dataset", "software": "software"}
_OBJECT_TYPE = {"literature": "fulltext", "dataset": "dataset", "software": "software"}


def _d(tag: str) -> str:
    return f"{{{DATACITE}}}{tag}"


def _o(tag: str) -> str:
    return f"{{{OAIRE}}}{tag}"


def resource_type(record: Record) -> tuple[str, str, str]:
    """``(resourceTypeGeneral, COAR URI, label)`` accepted by the OpenAIRE 4.0 enumerations."""
    rtype = common.resource_type(record)
    uri, label = vocab.coar_resource_type(rtype)
    if uri.rsplit("/", 1)[-1] not in _COAR_TYPES:
        uri, label = vocab.COAR_OTHER, "other"
    p = common.resource_type_props(record)
    kind = str(p.get("openaire_type") or p.get("type") or rtype.get("id") or "").split("-")[0]
    return _GENERAL.get(kind, "other research product"), uri, label


def _agents(root: etree._Element, wrapper: str, tag: str, agents: list[dict[str, Any]]) -> None:
    if not agents:
        return
    container = sub(root, _d(wrapper))
    for data in agents:
        ctype = data.get("contributorType")
        if ctype is not None and ctype not in _CONTRIBUTOR_TYPES:
            ctype = "Other"
        element = sub(container, _d(tag), contributorType=ctype)
        sub(element, _d(f"{tag}Name"), data["name"], nameType=data.get("nameType"))
        for key in ("givenName", "familyName"):
            if data.get(key):
                sub(element, _d(key), data[key])
        for ident in data.get("nameIdentifiers", []):
            sub(element, _d("nameIdentifier"), ident["nameIdentifier"],
                nameIdentifierScheme=ident["nameIdentifierScheme"], schemeURI=ident.get("schemeUri"))
        for aff in data.get("affiliation", []):
            sub(element, _d("affiliation"), aff["name"])


def _identifiers(root: etree._Element, attrs: dict[str, Any]) -> None:
    if doi := attrs.get("doi"):
        sub(root, _d("identifier"), doi, identifierType="DOI")
    else:
        sub(root, _d("identifier"), attrs["url"], identifierType="URL")
    if alternates := attrs.get("identifiers"):
        container = sub(root, _d("alternateIdentifiers"))
        for alt in alternates:
            sub(container, _d("alternateIdentifier"), alt["identifier"], alternateIdentifierType=alt["identifierType"])
    related = [r for r in attrs.get("relatedIdentifiers", [])
               if r["relationType"] in _RELATIONS and r["relatedIdentifierType"] in _IDENTIFIER_TYPES]
    if related:
        container = sub(root, _d("relatedIdentifiers"))
        for rel in related:
            sub(container, _d("relatedIdentifier"), rel["relatedIdentifier"],
                relatedIdentifierType=rel["relatedIdentifierType"], relationType=rel["relationType"])


def _dates(root: etree._Element, record: Record, attrs: dict[str, Any]) -> None:
    values = [d for d in attrs.get("dates", []) if d["dateType"] in _DATE_TYPES]
    if common.embargo_until(record):  # embargo period: Accepted (start) … Available (end)
        start = next((d["date"] for d in values if d["dateType"] == "Issued"), None)
        if start:
            values.append({"date": start.split("/")[0], "dateType": "Accepted"})
    container = sub(root, _d("dates"))
    for value in values:
        sub(container, _d("date"), value["date"], dateType=value["dateType"])


def _funding(root: etree._Element, refs: list[dict[str, str]]) -> None:
    if not refs:
        return
    container = sub(root, _o("fundingReferences"))
    for ref in refs:
        element = sub(container, _o("fundingReference"))
        sub(element, _o("funderName"), ref["funderName"])
        if ref.get("funderIdentifier") and ref.get("funderIdentifierType") in _FUNDER_TYPES:
            sub(element, _o("funderIdentifier"), ref["funderIdentifier"], funderIdentifierType=ref["funderIdentifierType"])
        if ref.get("awardNumber"):
            sub(element, _o("awardNumber"), ref["awardNumber"], awardURI=ref.get("awardUri"))
        if ref.get("awardTitle"):
            sub(element, _o("awardTitle"), ref["awardTitle"])


def _citation(root: etree._Element, record: Record) -> None:
    journal, meeting, imprint = common.journal(record), common.meeting(record), common.imprint(record)
    first, last = common.page_range(journal.get("pages") or imprint.get("pages"))
    values = [("citationTitle", journal.get("title") or imprint.get("title")), ("citationVolume", journal.get("volume")),
              ("citationIssue", journal.get("issue")), ("citationStartPage", first), ("citationEndPage", last),
              ("citationEdition", imprint.get("edition")), ("citationConferencePlace", meeting.get("place")),
              ("citationConferenceDate", meeting.get("dates"))]
    for tag, value in values:
        if value:
            sub(root, _o(tag), value)


def _descriptive(root: etree._Element, record: Record, attrs: dict[str, Any]) -> None:
    titles = sub(root, _d("titles"))
    for title in attrs["titles"]:
        sub(titles, _d("title"), title["title"], titleType=title.get("titleType"), xml_lang=title.get("lang"))
    for desc in attrs.get("descriptions", []):
        sub(root, f"{{{DC}}}description", desc["description"], xml_lang=desc.get("lang"))
    for code in common.languages(record):
        sub(root, f"{{{DC}}}language", code[0])
    sub(root, f"{{{DC}}}publisher", attrs["publisher"]["name"])
    for value in attrs.get("formats", []):
        sub(root, f"{{{DC}}}format", value)
    if subjects := attrs.get("subjects"):
        container = sub(root, _d("subjects"))
        for subject in subjects:
            sub(container, _d("subject"), subject["subject"], subjectScheme=subject.get("subjectScheme"),
                valueURI=subject.get("valueUri"))
    if sizes := attrs.get("sizes"):
        container = sub(root, _d("sizes"))
        for size in sizes:
            sub(container, _d("size"), size)
    for place in (f.get("place") for f in common.locations(record)):
        if place:
            sub(root, f"{{{DC}}}coverage", place)


def resource_element(record: Record, ctx: FormatContext) -> etree._Element:
    """The ``<oaire:resource>`` element of a record."""
    attrs = datacite_json.attributes(record, ctx)
    root = etree.Element(_o("resource"), nsmap={"oaire": OAIRE, "datacite": DATACITE, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    _agents(root, "creators", "creator", attrs["creators"])
    _agents(root, "contributors", "contributor", attrs.get("contributors", []))
    _funding(root, attrs.get("fundingReferences", []))
    _identifiers(root, attrs)
    _dates(root, record, attrs)
    _descriptive(root, record, attrs)
    general, uri, label = resource_type(record)
    sub(root, _o("resourceType"), label, resourceTypeGeneral=general, uri=uri)
    access_uri, access_label = vocab.COAR_ACCESS_RIGHTS[common.access_status(record)]
    sub(root, _d("rights"), access_label, rightsURI=access_uri)
    if version := attrs.get("version"):
        sub(root, _o("version"), version)
    for right in common.rights(record):
        if right.url:
            sub(root, _o("licenseCondition"), right.title, uri=right.url,
                startDate=common.embargo_until(record) or _issued(attrs))
    for file in common.visible_files(record, ctx):
        sub(root, _o("file"), file.download_url, mimeType=file.mimetype, accessRightsURI=access_uri,
            objectType=_OBJECT_TYPE.get(general, "other"))
    _citation(root, record)
    return root


def _issued(attrs: dict[str, Any]) -> str | None:
    found = next((d["date"] for d in attrs.get("dates", []) if d["dateType"] == "Issued"), None)
    return found.split("/")[0] if found else None


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """``oai_openaire`` XML document of a record."""
    return xml_bytes(resource_element(record, ctx))
