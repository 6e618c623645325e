"""Highwire Press ``citation_*`` meta tags, read by Google Scholar from the landing page.

``meta_tags`` returns ``(name, content)`` pairs in the order Scholar expects (each author followed
by its institutions and ORCID); ``serialize`` renders them as HTML ``<meta>`` elements.
``citation_pdf_url`` is given only for PDFs the public may download.
"""

from __future__ import annotations

from html import escape

from callimachus.formats import common, dates
from callimachus.formats.base import FormatContext, Record, clean_text


def _date(value: str) -> str:
    """Scholar's ``YYYY/MM/DD`` (or ``YYYY/MM``, ``YYYY``) form of an EDTF date's start."""
    start = dates.start_date(value)
    return start.replace("-", "/") if start and not start.startswith("-") else ""


def _authors(record: Record) -> list[tuple[str, str]]:
    tags = []
    for person in common.creators(record):
        tags.append(("citation_author", person.name))
        tags += [("citation_author_institution", a.name) for a in person.affiliations]
        if person.orcid_url:
            tags.append(("citation_author_orcid", person.orcid_url))
    return tags


def _host(record: Record, ctx: FormatContext) -> list[tuple[str, str]]:
    journal, imprint, meeting, thesis = (common.journal(record), common.imprint(record),
                                         common.meeting(record), common.thesis(record))
    first, last = common.page_range(journal.get("pages") or imprint.get("pages"))
    tags = [("citation_journal_title", journal.get("title")), ("citation_volume", journal.get("volume")),
            ("citation_issue", journal.get("issue")), ("citation_issn", journal.get("issn")),
            ("citation_firstpage", first), ("citation_lastpage", last),
            ("citation_conference_title", meeting.get("title")), ("citation_isbn", imprint.get("isbn")),
            ("citation_inbook_title", imprint.get("title")),
            ("citation_dissertation_institution", thesis.get("university"))]
    if str(common.resource_type(record).get("id") or "") in ("publication-report", "publication-technicalnote"):
        tags.append(("citation_technical_report_institution", common.publisher(record, ctx)))
    return [(k, str(v)) for k, v in tags if v]


def meta_tags(record: Record, ctx: FormatContext) -> list[tuple[str, str]]:
    """The ``(name, content)`` pairs of the record's Highwire Press tags, empty ones omitted."""
    tags: list[tuple[str, str]] = [("citation_title", common.title(record))]
    tags += _authors(record)
    tags.append(("citation_publication_date", _date(common.publication_date(record))))
    tags.append(("citation_doi", common.doi(record) or ""))
    tags.append(("citation_publisher", common.publisher(record, ctx)))
    tags += _host(record, ctx)
    tags += [("citation_keywords", k) for k in common.keywords(record)]
    tags += [("citation_language", code[1]) for code in common.languages(record)]
    tags += [("citation_pdf_url", f.download_url) for f in common.visible_files(record, ctx)
             if f.mimetype == "application/pdf"]
    tags.append(("citation_abstract_html_url", common.landing_url(record, ctx)))
    return [(name, " ".join(clean_text(content).split())) for name, content in tags if content and content.strip()]


def serialize(record: Record, ctx: FormatContext) -> str:
    """The tags as HTML ``<meta name=… content=…>`` lines for the landing page ``<head>``."""
    return "\n".join(f'<meta name="{name}" content="{escape(content, quote=True)}">'
                     for name, content in meta_tags(record, ctx)) + "\n"
