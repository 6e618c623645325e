"""CSL-JSON (CSL 1.0.2 input data) of a record: the ``csl`` export and the input of citations.

Names are objects (``family``/``given`` or ``literal``), dates ``date-parts`` of integers, the
type a CSL 1.0.2 type (``dataset``, ``software``…; ``article`` when unknown), the DOI bare.
"""

from __future__ import annotations

from typing import Any

from callimachus.formats import common, dates
from callimachus.formats.base import FormatContext, Record, clean_tree, json_bytes

CSL_TYPES = frozenset(
    ["article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical", "personal_communication", "post", "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage"]
)


def csl_type(record: Record) -> str:
    """The CSL item type of a record; ``article`` when the vocabulary gives no valid one."""
    value = str(common.resource_type_props(record).get("csl") or "")
    return value if value in CSL_TYPES else "article"


def csl_name(person: common.Person) -> dict[str, str]:
    if person.personal and person.family:
        return {"family": person.family, "given": person.given} if person.given else {"family": person.family}
    return {"literal": person.name}


def _by_role(record: Record, role: str) -> list[dict[str, str]]:
    return [csl_name(p) for p in common.contributors(record) if (p.role or {}).get("id") == role]


def _container(record: Record, item: dict[str, Any]) -> None:
    journal, imprint, meeting, thesis = (common.journal(record), common.imprint(record),
                                         common.meeting(record), common.thesis(record))
    if journal.get("title"):
        item |= {"container-title": journal["title"], "volume": journal.get("volume"), "issue": journal.get("issue"),
                 "page": journal.get("pages"), "ISSN": journal.get("issn")}
    elif imprint.get("title"):
        item |= {"container-title": imprint["title"], "page": imprint.get("pages"), "ISBN": imprint.get("isbn"),
                 "edition": imprint.get("edition")}
        if imprint.get("place"):
            item["publisher-place"] = imprint["place"]
    if meeting.get("title"):
        item |= {"event-title": meeting["title"], "event-place": meeting.get("place")}
        item.setdefault("container-title", meeting["title"])
    if thesis.get("university"):
        item |= {"publisher": thesis["university"], "genre": thesis.get("type")}


def to_dict(record: Record, ctx: FormatContext) -> dict[str, Any]:
    """The CSL-JSON item of a record (empty values omitted)."""
    meta = common.metadata(record)
    item: dict[str, Any] = {
        "id": str(record.get("id") or "record"),
        "type": csl_type(record),
        "title": common.title(record) or "Untitled",
        "author": [csl_name(p) for p in common.creators(record)],
        "editor": _by_role(record, "editor"),
        "abstract": common.description_text(record),
        "DOI": common.doi(record),
        "URL": common.identifier_url(record, ctx),
        "publisher": common.publisher(record, ctx),
        "version": meta.get("version"),
        "language": next((code[1] for code in common.languages(record)), None),
        "keyword": ", ".join(common.keywords(record)),
    }
    if parts := dates.date_parts(common.publication_date(record)):
        item["issued"] = {"date-parts": parts}
    _container(record, item)
    return clean_tree({k: v for k, v in item.items() if v not in (None, "", [])})  # type: ignore[no-any-return]


def serialize(record: Record, ctx: FormatContext) -> bytes:
    """CSL-JSON export (one item object)."""
    return json_bytes(to_dict(record, ctx))
