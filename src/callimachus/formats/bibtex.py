"""BibTeX entry of a record (``bibtex`` export, ``application/x-bibtex``).

The entry type follows the resource type (``@article``, ``@book``, ``@incollection``,
``@inproceedings``, ``@phdthesis``, ``@techreport``, ``@dataset``/``@software`` of BibLaTeX,
else ``@misc``). Values are UTF-8 with LaTeX special characters escaped so that braces stay
balanced; name parts are braced so commas or "and" inside a name cannot split it. The key
``<family>_<year>_<recid>`` is unique because the record id is.
"""

from __future__ import annotations

import re
import unicodedata

from callimachus.formats import common, dates
from callimachus.formats.base import FormatContext, Record, clean_text

_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&", "%": r"\%",
    "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_ESCAPE_RE = re.compile("|".join(re.escape(k) for k in _ESCAPES))
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_TYPES = {
    "publication-article": "article", "publication-book": "book", "publication-section": "incollection",
    "publication-conferencepaper": "inproceedings", "publication-conferenceproceeding": "proceedings",
    "publication-thesis": "phdthesis", "publication-dissertation": "phdthesis", "publication-report": "techreport",
    "publication-technicalnote": "techreport", "publication-deliverable": "techreport",
    "publication-workingpaper": "techreport", "dataset": "dataset", "software": "software",
    "software-computationalnotebook": "software",
}


def escape(value: str) -> str:
    """A BibTeX field value: LaTeX specials escaped, whitespace collapsed, no control characters."""
    text = " ".join(clean_text(value).split())
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


def entry_type(record: Record) -> str:
    rid = str(common.resource_type(record).get("id") or "")
    found = _TYPES.get(rid)
    if found == "article" and not common.journal(record).get("title"):
        return "misc"
    return found or "misc"


def citation_key(record: Record) -> str:
    """``family_year_recid`` in ASCII letters, digits and underscores."""
    people = common.creators(record)
    name = (people[0].family or people[0].name) if people else "record"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "", ascii_name).lower()[:30] or "record"
    year = common.publication_year(record)
    recid = re.sub(r"[^A-Za-z0-9]+", "", str(record.get("id") or "")) or "0"
    return f"{slug}_{year if year is not None else 'nd'}_{recid}".replace("-", "")


def _names(people: list[common.Person]) -> str:
    parts = []
    for person in people:
        if person.personal and person.family:
            name = "{" + escape(person.family) + "}"
            parts.append(f"{name}, {{{escape(person.given)}}}" if person.given else name)
        else:
            parts.append("{" + escape(person.name) + "}")
    return " and ".join(parts)


def _fields(record: Record, ctx: FormatContext, kind: str) -> list[tuple[str, str]]:
    meta = common.metadata(record)
    journal, imprint, meeting, thesis = (common.journal(record), common.imprint(record),
                                         common.meeting(record), common.thesis(record))
    editors = [p for p in common.contributors(record) if (p.role or {}).get("id") == "editor"]
    fields: list[tuple[str, str | None]] = [
        ("author", _names(common.creators(record))),
        ("editor", _names(editors) if editors else None),
        ("title", "{" + escape(common.title(record) or "Untitled") + "}"),
    ]
    if kind == "article":
        fields += [("journal", escape(journal.get("title", ""))), ("volume", escape(journal.get("volume") or "")),
                   ("number", escape(journal.get("issue") or "")), ("pages", escape(journal.get("pages") or "")),
                   ("issn", escape(journal.get("issn") or ""))]
    if kind in ("incollection", "inproceedings"):
        fields.append(("booktitle", escape(imprint.get("title") or meeting.get("title") or "")))
        fields.append(("pages", escape(imprint.get("pages") or "")))
    if kind in ("book", "incollection"):
        fields += [("isbn", escape(imprint.get("isbn") or "")), ("edition", escape(imprint.get("edition") or ""))]
    if kind == "phdthesis":
        fields.append(("school", escape(thesis.get("university") or common.publisher(record, ctx))))
    elif kind == "techreport":
        fields.append(("institution", escape(common.publisher(record, ctx))))
    else:
        fields.append(("publisher", escape(common.publisher(record, ctx))))
    fields += [("version", escape(meta.get("version") or "")), ("doi", escape(common.doi(record) or "")),
               ("url", escape(common.identifier_url(record, ctx))),
               ("keywords", escape(", ".join(common.keywords(record))))]
    return [(k, v) for k, v in fields if v]


def serialize(record: Record, ctx: FormatContext) -> str:
    """One BibTeX entry, newline-terminated."""
    kind = entry_type(record)
    lines = [f"@{kind}{{{citation_key(record)},"]
    parts = dates.parse(common.publication_date(record))
    start = parts.start or parts.end if parts else None
    body = [f"  {name} = {{{value}}}" for name, value in _fields(record, ctx, kind)]
    if start:
        body.append(f"  year = {start[0]}" if start[0] >= 0 else f"  year = {{{start[0]}}}")
        if len(start) > 1:
            body.append(f"  month = {_MONTHS[start[1] - 1]}")
    lines.append(",\n".join(body))
    lines.append("}")
    return "\n".join(lines) + "\n"
