"""MARC 21 bibliographic record (MARCXML slim) built with pymarc: ``marcxml`` export and ``marc21`` OAI.

Leader/09 is ``a`` (UCS/Unicode). Names go to 100/700 (persons) or 110/710 (organisations) with
``$u`` affiliation and ``$0`` identifier URL; files appear in 856 only when the public may see
them. Languages use MARC codes (ISO 639-2/B).
"""

from __future__ import annotations

from datetime import datetime

import pymarc
from pymarc import Field, Indicators, Subfield

from callimachus.formats import common, dates, vocab
from callimachus.formats.base import FormatContext, Record, clean_text

_RECORD_TYPE = {"dataset": "m", "software": "m", "image": "k", "video": "g", "audio": "i",
                "physicalobject": "r", "model": "m", "workflow": "m"}
_ACCESS_LABEL = {"open": "Open access", "embargoed": "Embargoed access", "restricted": "Restricted access",
                 "metadata-only": "Metadata-only access"}


def _sf(pairs: list[tuple[str, str | None]]) -> list[Subfield]:
    """Subfields with non-empty, cleaned values (MARC has no empty subfields)."""
    result = []
    for code, value in pairs:
        text = " ".join(clean_text(value).split()) if value else ""
        if text:
            result.append(Subfield(code, text))
    return result


def _field(tag: str, ind: str, pairs: list[tuple[str, str | None]]) -> Field | None:
    subfields = _sf(pairs)
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subfields) if subfields else None


def _leader(record: Record) -> str:
    rtype = str(common.resource_type_props(record).get("type") or common.resource_type(record).get("id") or "")
    kind = _RECORD_TYPE.get(rtype.split("-")[0], "a")
    return f"00000n{kind}m a2200000 i 4500"


def _control_fields(record: Record) -> list[Field]:
    fields = [Field(tag="001", data=clean_text(record.get("id")) or "0")]
    updated = str(record.get("updated") or "")
    try:
        stamp = datetime.fromisoformat(updated.replace("Z", "+00:00")).strftime("%Y%m%d%H%M%S.0")
        fields.append(Field(tag="005", data=stamp))
    except ValueError:
        pass
    created = str(record.get("created") or "")[:10].replace("-", "")[2:8].ljust(6, "0")
    year = common.publication_year(record)
    year_text = f"{year:04d}" if year and 0 <= year <= 9999 else "    "
    lang = (common.languages(record) or [("", "", "und")])[0][2][:3].ljust(3)
    data = f"{created}{'s' if year else 'n'}{year_text}    xx " + " " * 17 + f"{lang} d"
    fields.append(Field(tag="008", data=data))
    return fields


def _name_field(tag_personal: str, tag_org: str, person: common.Person, role: str = "") -> Field | None:
    pairs: list[tuple[str, str | None]] = [("a", person.name)]
    if role:
        pairs.append(("e", role))
    pairs += [("u", a.name) for a in person.affiliations]
    pairs += [("0", url) for url in person.pid_urls]
    return _field(tag_personal if person.personal else tag_org, "1 " if person.personal else "2 ", pairs)


def _names(record: Record) -> list[Field | None]:
    people = common.creators(record)
    fields: list[Field | None] = []
    if people:
        fields.append(_name_field("100", "110", people[0]))
        fields += [_name_field("700", "710", p) for p in people[1:]]
    for person in common.contributors(record):
        fields.append(_name_field("700", "710", person, vocab.title_en(person.role) if person.role else ""))
    return fields


def _titles(record: Record, ctx: FormatContext) -> list[Field | None]:
    meta = common.metadata(record)
    subtitle = next((t.get("title") for t in meta.get("additional_titles") or []
                     if (t.get("type") or {}).get("id") == "subtitle"), None)
    fields = [_field("245", "00", [("a", common.title(record) or "Untitled"), ("b", subtitle)])]
    for extra in meta.get("additional_titles") or []:
        if (extra.get("type") or {}).get("id") != "subtitle":
            fields.append(_field("246", "1 ", [("a", extra.get("title"))]))
    if version := meta.get("version"):
        fields.append(_field("250", "  ", [("a", version)]))
    imprint = common.imprint(record)
    fields.append(_field("264", " 1", [("a", imprint.get("place")), ("b", common.publisher(record, ctx)),
                                       ("c", dates.to_iso(common.publication_date(record)))]))
    fields += [_field("300", "  ", [("a", size)]) for size in meta.get("sizes") or []]
    return fields


def _notes(record: Record) -> list[Field | None]:
    meta = common.metadata(record)
    fields: list[Field | None] = []
    thesis = common.thesis(record)
    if thesis.get("university"):
        defended = thesis.get("date_defended") or thesis.get("date_submitted")
        fields.append(_field("502", "  ", [("b", thesis.get("type")), ("c", thesis.get("university")),
                                           ("d", dates.to_iso(defended) if defended else None)]))
    status = common.access_status(record)
    until = common.embargo_until(record)
    fields.append(_field("506", "0 " if status == "open" else "1 ",
                         [("a", _ACCESS_LABEL[status] + (f" until {until}" if until else "")),
                          ("2", "star"), ("f", "Unrestricted online access" if status == "open" else None)]))
    fields.append(_field("520", "3 ", [("a", common.description_text(record))]))
    for extra in meta.get("additional_descriptions") or []:
        fields.append(_field("500", "  ", [("a", common.html_to_text(extra.get("description")))]))
    for entry in common.funding(record):
        award = entry.get("award") or {}
        fields.append(_field("536", "  ", [("a", entry["funder"].get("name")), ("c", award.get("number")),
                                           ("f", common.award_title(award))]))
    for right in common.rights(record):
        fields.append(_field("540", "  ", [("a", right.title), ("f", right.spdx_id), ("u", right.url)]))
    fields.append(_field("542", "  ", [("l", _ACCESS_LABEL[status]), ("u", vocab.COAR_ACCESS_RIGHTS[status][0])]))
    return fields


def _subjects(record: Record) -> list[Field | None]:
    fields: list[Field | None] = []
    for subject in common.metadata(record).get("subjects") or []:
        if subject.get("scheme"):
            uri = subject.get("id") if str(subject.get("id") or "").startswith("http") else None
            fields.append(_field("650", " 7", [("a", subject.get("subject")), ("2", subject["scheme"]), ("0", uri)]))
        else:
            fields.append(_field("653", "  ", [("a", subject.get("subject"))]))
    return fields


def _hosts(record: Record) -> list[Field | None]:
    journal, meeting = common.journal(record), common.meeting(record)
    fields: list[Field | None] = []
    if meeting.get("title"):
        fields.append(_field("711", "2 ", [("a", meeting["title"]), ("c", meeting.get("place")),
                                           ("d", meeting.get("dates")), ("g", meeting.get("acronym"))]))
    if journal.get("title"):
        volume = " ".join(filter(None, [journal.get("volume"), f"({journal['issue']})" if journal.get("issue") else ""]))
        fields.append(_field("773", "0 ", [("t", journal["title"]), ("g", ", ".join(filter(None, [volume, journal.get("pages")]))),
                                           ("x", journal.get("issn"))]))
    imprint = common.imprint(record)
    if imprint.get("title"):
        fields.append(_field("773", "0 ", [("t", imprint["title"]), ("g", imprint.get("pages")), ("z", imprint.get("isbn"))]))
    return fields


def to_pymarc(record: Record, ctx: FormatContext) -> pymarc.Record:
    """The record as a :class:`pymarc.Record` (UTF-8, leader/09 ``a``)."""
    marc = pymarc.Record(leader=_leader(record), force_utf8=True)
    fields: list[Field | None] = list(_control_fields(record))
    if doi := common.doi(record):
        fields.append(_field("024", "7 ", [("a", doi), ("2", "doi")]))
    for ident in common.metadata(record).get("identifiers") or []:
        fields.append(_field("024", "7 ", [("a", ident.get("identifier")), ("2", ident.get("scheme"))]))
    fields.append(_field("035", "  ", [("a", common.oai_identifier(record, ctx))]))
    if langs := common.languages(record):
        fields.append(_field("041", "  ", [("a", code[2]) for code in langs]))
    fields += _names(record)[:1] + _titles(record, ctx) + _notes(record) + _subjects(record)
    fields += _names(record)[1:] + _hosts(record)
    fields.append(_field("856", "40", [("u", common.identifier_url(record, ctx)), ("z", "Landing page")]))
    for f in common.visible_files(record, ctx):
        fields.append(_field("856", "40", [("u", f.download_url), ("y", f.key), ("q", f.mimetype), ("s", str(f.size))]))
    for field in fields:
        if field is not None:
            marc.add_field(field)
    return marc


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """MARCXML (MARC 21 slim, namespaced) document of one record."""
    data: bytes = pymarc.record_to_xml(to_pymarc(record, ctx), namespace=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + data
