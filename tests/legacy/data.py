"""Legacy deposit metadata with every field Zenodo's deposit API documents."""

from __future__ import annotations

import copy
from typing import Any

EVERY_FIELD: dict[str, Any] = {
    "upload_type": "publication",
    "publication_type": "article",
    "publication_date": "2024-05-17",
    "title": "Sea surface temperatures of the North Atlantic",
    "creators": [
        {"name": "Carberry, Josiah", "affiliation": "Brown University", "orcid": "0000-0002-1825-0097", "gnd": "170118215"},
        {"name": "Doe, Jane"},
    ],
    "description": "<p>Monthly <strong>sea surface</strong> temperatures.</p>",
    "access_right": "open",
    "license": "cc-by-4.0",
    "doi": "10.1234/journal.ocean.5",
    "keywords": ["ocean", "temperature"],
    "notes": "<p>Buoy 7 was repaired in March.</p>",
    "method": "<p>Drifting buoys.</p>",
    "related_identifiers": [
        {"identifier": "10.1234/other.paper", "relation": "isCitedBy", "resource_type": "publication-article", "scheme": "doi"},
        {"identifier": "https://example.org/cruise", "relation": "isSupplementTo", "scheme": "url"},
        {"identifier": "arXiv:2401.01234", "relation": "isAlternateIdentifier", "scheme": "arxiv"},
    ],
    "contributors": [
        {"name": "Smith, John", "affiliation": "CERN", "orcid": "0000-0002-1694-233X", "type": "DataCurator"},
        {"name": "Ocean Rights Office", "type": "RightsHolder"},
    ],
    "references": ["Doe J (2020) Buoys at sea. J Oceans 1:1.", "Roe R (2021) Drift. J Oceans 2:2."],
    "communities": [{"identifier": "ocean-science"}, {"identifier": "open-data"}],
    "grants": [{"id": "10.13039/501100000780::283595"}, {"id": "10.13039/100000001::1234567"}, {"id": "777541"}],
    "subjects": [{"term": "Oceanography", "identifier": "http://id.loc.gov/authorities/subjects/sh85094243", "scheme": "url"}],
    "version": "1.2.0",
    "language": "eng",
    "locations": [{"lat": 46.2, "lon": 6.1, "place": "Geneva", "description": "Lake station"}, {"place": "North Atlantic"}],
    "dates": [
        {"start": "2020-01-01", "end": "2020-12-31", "type": "Collected", "description": "Fieldwork"},
        {"start": "2021-01-01", "type": "Valid"},
    ],
    "journal_title": "Journal of Oceans", "journal_volume": "12", "journal_issue": "3", "journal_pages": "45-67",
    "conference_title": "Ocean Sciences Meeting", "conference_acronym": "OSM24", "conference_dates": "18-23 February 2024",
    "conference_place": "New Orleans, USA", "conference_url": "https://osm.example.org", "conference_session": "VI",
    "conference_session_part": "1",
    "imprint_publisher": "Ocean Press", "imprint_isbn": "978-3-16-148410-0", "imprint_place": "Lisbon",
    "partof_title": "Oceans of Data", "partof_pages": "10-20",
    "thesis_supervisors": [{"name": "Hardy, Alister", "affiliation": "University of Oxford"}],
    "thesis_university": "University of the Sea",
}


def every_field(**changes: Any) -> dict[str, Any]:
    metadata = copy.deepcopy(EVERY_FIELD)
    metadata.update(changes)
    return {k: v for k, v in metadata.items() if v is not None}
