"""Controlled values the target standards accept, and access to our vocabulary properties.

Records arrive with vocabulary values expanded (``{"id", "title", "props"}``); when ``props`` is
missing the entry is looked up in :mod:`callimachus.metadata.vocabularies`. Every mapping here
falls back to a value the target standard accepts, so an unexpected vocabulary entry degrades to
"Other" instead of producing an invalid document.
"""

from __future__ import annotations

import importlib
from typing import Any

# DataCite Metadata Schema 4.6 controlled lists (include/*.xsd of kernel-4.6).
DATACITE_RESOURCE_TYPES = frozenset(
    ["Audiovisual", "Award", "Book", "BookChapter", "Collection", "ComputationalNotebook", "ConferencePaper", "ConferenceProceeding", "DataPaper", "Dataset", "Dissertation", "Event", "Image", "Instrument", "InteractiveResource", "Journal", "JournalArticle", "Model", "OutputManagementPlan", "PeerReview", "PhysicalObject", "Preprint", "Project", "Report", "Service", "Software", "Sound", "Standard", "StudyRegistration", "Text", "Workflow", "Other"]
)
DATACITE_RELATION_TYPES = tuple(
    ["IsCitedBy", "Cites", "IsSupplementTo", "IsSupplementedBy", "IsContinuedBy", "Continues", "IsNewVersionOf", "IsPreviousVersionOf", "IsPartOf", "HasPart", "IsPublishedIn", "IsReferencedBy", "References", "IsDocumentedBy", "Documents", "IsCompiledBy", "Compiles", "IsVariantFormOf", "IsOriginalFormOf", "IsIdenticalTo", "HasMetadata", "IsMetadataFor", "Reviews", "IsReviewedBy", "IsDerivedFrom", "IsSourceOf", "Describes", "IsDescribedBy", "HasVersion", "IsVersionOf", "Requires", "IsRequiredBy", "Obsoletes", "IsObsoletedBy", "Collects", "IsCollectedBy", "HasTranslation", "IsTranslationOf"]
)
DATACITE_CONTRIBUTOR_TYPES = tuple(
    ["ContactPerson", "DataCollector", "DataCurator", "DataManager", "Distributor", "Editor", "HostingInstitution", "Other", "Producer", "ProjectLeader", "ProjectManager", "ProjectMember", "RegistrationAgency", "RegistrationAuthority", "RelatedPerson", "ResearchGroup", "RightsHolder", "Researcher", "Sponsor", "Supervisor", "Translator", "WorkPackageLeader"]
)
DATACITE_DATE_TYPES = tuple(
    ["Accepted", "Available", "Collected", "Copyrighted", "Coverage", "Created", "Issued", "Other", "Submitted", "Updated", "Valid", "Withdrawn"]
)
DATACITE_DESCRIPTION_TYPES = tuple(
    ["Abstract", "Methods", "SeriesInformation", "TableOfContents", "TechnicalInfo", "Other"]
)
DATACITE_TITLE_TYPES = tuple(["AlternativeTitle", "Subtitle", "TranslatedTitle", "Other"])
DATACITE_IDENTIFIER_TYPES = tuple(
    ["ARK", "arXiv", "bibcode", "CSTR", "DOI", "EISSN", "Handle", "IGSN", "ISBN", "ISSN", "ISTC", "LISSN", "LSID", "PMID", "PURL", "RRID", "UPC", "URL", "URN"]
)

# DataCite 4.7 added these; under a 4.6 schemaLocation they become Text with a free-text type.
_DATACITE_47_ONLY = {"Poster": "Text", "Presentation": "Text"}

COAR_ACCESS_RIGHTS = {
    "open": ("http://purl.org/coar/access_right/c_abf2", "open access"),
    "embargoed": ("http://purl.org/coar/access_right/c_f1cf", "embargoed access"),
    "restricted": ("http://purl.org/coar/access_right/c_16ec", "restricted access"),
    "metadata-only": ("http://purl.org/coar/access_right/c_14cb", "metadata only access"),
}
EU_REPO_ACCESS_RIGHTS = {
    "open": "info:eu-repo/semantics/openAccess",
    "embargoed": "info:eu-repo/semantics/embargoedAccess",
    "restricted": "info:eu-repo/semantics/restrictedAccess",
    "metadata-only": "info:eu-repo/semantics/closedAccess",
}
COAR_RESOURCE_TYPE_BASE = "http://purl.org/coar/resource_type/"
COAR_OTHER = "http://purl.org/coar/resource_type/c_1843"

_KIND_FOR_PATH = {
    "resource_type": "resourcetypes",
    "relation_type": "relationtypes",
    "role": "creatorroles",
    "date_type": "datetypes",
    "description_type": "descriptiontypes",
    "title_type": "titletypes",
    "language": "languages",
}


_FOUND: dict[tuple[str, str], dict[str, Any]] = {}


def _lookup(kind: str, entry_id: str) -> dict[str, Any]:
    """Props of ``entry_id`` in vocabulary ``kind``, or ``{}`` when unknown or unavailable.

    An export must not fail because a vocabulary cannot be read, so every error degrades to
    "no props" (and the fallbacks of the mapping functions). Only hits are cached.
    """
    key = (kind, entry_id)
    if key in _FOUND:
        return _FOUND[key]
    try:
        module = importlib.import_module("callimachus.metadata.vocabularies")
        found = module.get_vocabulary(kind).get(entry_id)
    except Exception:  # noqa: BLE001 - any failure of the optional lookup means "unknown"
        return {}
    props = getattr(found, "props", None) if found is not None else None
    if not isinstance(props, dict) or not props:
        return {}
    _FOUND[key] = dict(props)
    return _FOUND[key]


def props(entry: Any, kind: str) -> dict[str, Any]:
    """The ``props`` of an expanded vocabulary entry, looked up by id when the record lacks them."""
    if not isinstance(entry, dict):
        return {}
    found = entry.get("props")
    if isinstance(found, dict) and found:
        return found
    entry_id = entry.get("id")
    if not isinstance(entry_id, str) or not entry_id:
        return {}
    return dict(_lookup(_KIND_FOR_PATH.get(kind, kind), entry_id))


def title_en(entry: Any) -> str:
    """The English title of a vocabulary entry, else its id, else ``""``."""
    if not isinstance(entry, dict):
        return ""
    title = entry.get("title")
    if isinstance(title, dict):
        text = title.get("en") or next((v for v in title.values() if v), "")
        if text:
            return str(text)
    elif isinstance(title, str) and title:
        return title
    return str(entry.get("id") or "")


def _camel_from(entry: Any, kind: str, allowed: tuple[str, ...], default: str) -> str:
    """The DataCite camel-case value for a vocabulary entry, restricted to ``allowed``."""
    by_lower = {v.lower(): v for v in allowed}
    candidate = props(entry, kind).get("datacite")
    if isinstance(candidate, str) and candidate.lower() in by_lower:
        return by_lower[candidate.lower()]
    entry_id = entry.get("id") if isinstance(entry, dict) else entry
    if isinstance(entry_id, str):
        return by_lower.get(entry_id.replace("-", "").replace("_", "").lower(), default)
    return default


def relation_type(entry: Any) -> str:
    """DataCite relationType (``IsCitedBy``) for a relation-type entry; ``References`` if unknown."""
    return _camel_from(entry, "relation_type", DATACITE_RELATION_TYPES, "References")


def contributor_type(entry: Any) -> str:
    """DataCite contributorType for a role entry; ``Other`` if unknown."""
    return _camel_from(entry, "role", DATACITE_CONTRIBUTOR_TYPES, "Other")


def date_type(entry: Any) -> str:
    """DataCite dateType for a date-type entry; ``Other`` if unknown."""
    return _camel_from(entry, "date_type", DATACITE_DATE_TYPES, "Other")


def description_type(entry: Any) -> str:
    """DataCite descriptionType; our ``notes`` (and anything unknown) becomes ``Other``."""
    return _camel_from(entry, "description_type", DATACITE_DESCRIPTION_TYPES, "Other")


def title_type(entry: Any) -> str:
    """DataCite titleType; ``Other`` if unknown."""
    return _camel_from(entry, "title_type", DATACITE_TITLE_TYPES, "Other")


def datacite_resource_type(resource_type: Any) -> tuple[str, str]:
    """``(resourceTypeGeneral, free text)`` valid under DataCite 4.6 for a resource-type entry."""
    p = props(resource_type, "resource_type")
    general = str(p.get("datacite_general") or "")
    detail = str(p.get("datacite_type") or "")
    if general in _DATACITE_47_ONLY:
        detail = detail or general
        general = _DATACITE_47_ONLY[general]
    if general not in DATACITE_RESOURCE_TYPES:
        detail = detail or title_en(resource_type)
        general = "Other"
    return general, detail


def coar_resource_type(resource_type: Any) -> tuple[str, str]:
    """``(COAR resource-type URI, label)``; COAR "other" when the vocabulary gives none."""
    coar = str(props(resource_type, "resource_type").get("coar") or "")
    if coar and not coar.startswith("http"):
        coar = COAR_RESOURCE_TYPE_BASE + coar
    if not coar:
        return COAR_OTHER, "other"
    return coar, title_en(resource_type).lower() or "other"


def language_codes(entry: Any) -> tuple[str, str, str]:
    """``(ISO 639-3, BCP 47, MARC/639-2B)`` codes for a language entry (``("eng", "en", "eng")``)."""
    code = str(entry.get("id") if isinstance(entry, dict) else entry or "").lower()
    p = props(entry, "language")
    alpha_2 = str(p.get("alpha_2") or "")
    bibliographic = ""
    if len(code) == 2:
        alpha_2 = code
    try:
        import pycountry

        found = pycountry.languages.get(alpha_3=code) if len(code) == 3 else None
        found = found or (pycountry.languages.get(alpha_2=code) if len(code) == 2 else None)
        if found is not None:
            code = found.alpha_3
            alpha_2 = alpha_2 or getattr(found, "alpha_2", "")
            bibliographic = getattr(found, "bibliographic", "")
    except (ImportError, KeyError, LookupError):
        pass
    return code, alpha_2 or code, bibliographic or code
