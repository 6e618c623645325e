"""Record dicts for serializer tests: the public API envelope around validated metadata.

``records()`` wraps the metadata package's ``validated_records()`` strategy (every optional field,
any resource type, arbitrary Unicode) into the record dict the API serves, with an access status
and file keys that contain :data:`MARKER`, so leak tests can search every output for it.
``full_record()`` is a fixed, realistic record for example-based tests.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

from callimachus.formats.base import FormatContext
from callimachus.metadata.validation import validate_metadata
from tests.metadata.strategies import validated_records

SITE = "https://repo.example.org"
MARKER = "SECRETFILEMARKER"
CTX = FormatContext(site_url=SITE, site_name="Callimachus", oai_domain="repo.example.org")
ACCESS_STATUSES = ("open", "embargoed", "restricted", "metadata-only")
FILE_KEYS = (f"data-{MARKER}.csv", f"paper {MARKER} & <draft>.pdf", f"ü-{MARKER}-😀.txt")


def file_entries(recid: str, keys: list[str] | tuple[str, ...]) -> dict[str, Any]:
    entries = {}
    for i, key in enumerate(keys):
        mimetype = {"pdf": "application/pdf", "csv": "text/csv"}.get(key.rpartition(".")[2], "text/plain")
        url = f"{SITE}/api/records/{recid}/files/{quote(key)}"
        entries[key] = {"id": f"00000000-0000-0000-0000-{i:012d}", "key": key, "checksum": f"md5:{MARKER.lower()}{i:04d}",
                        "size": 7_654_321 + i, "mimetype": mimetype, "ext": key.rpartition(".")[2],
                        "links": {"self": url, "content": url + "/content"}}
    return entries


def make_record(metadata: dict[str, Any], custom_fields: dict[str, Any] | None = None, *, access: str = "open",
                recid: str = "124", file_keys: list[str] | tuple[str, ...] = FILE_KEYS) -> dict[str, Any]:
    """The API's record dict; ``access`` ∈ open | embargoed | restricted | metadata-only.

    Only open records carry file entries, as the API filters them out for everyone else.
    """
    parent = str(int(recid) - 1)
    embargoed = access == "embargoed"
    embargo = {"active": embargoed, "until": "2099-01-01" if embargoed else None, "reason": "Patent" if embargoed else None}
    if access == "open":
        entries = file_entries(recid, file_keys)
        files: dict[str, Any] = {"enabled": True, "count": len(entries),
                                 "total_bytes": sum(e["size"] for e in entries.values()), "entries": entries}
    else:
        files = {"enabled": access != "metadata-only"}
    return {
        "id": recid, "created": "2024-01-01T10:00:00+00:00", "updated": "2024-01-02T10:00:00+00:00", "revision_id": 3,
        "is_published": True, "is_draft": False, "status": "published",
        "pids": {"doi": {"identifier": f"10.5072/callimachus.{recid}", "provider": "local"},
                 "oai": {"identifier": f"oai:repo.example.org:{recid}", "provider": "oai"}},
        "parent": {"id": parent, "pids": {"doi": {"identifier": f"10.5072/callimachus.{parent}", "provider": "local"}},
                   "communities": {"ids": [], "entries": []}},
        "versions": {"index": 1, "is_latest": True},
        "access": {"record": "public", "files": "public" if access in ("open", "embargoed") else "restricted",
                   "embargo": embargo, "status": access},
        "files": files,
        "metadata": copy.deepcopy(metadata),
        "custom_fields": copy.deepcopy(custom_fields or {}),
        "links": {"self": f"{SITE}/api/records/{recid}", "self_html": f"{SITE}/records/{recid}",
                  "self_doi": f"https://doi.org/10.5072/callimachus.{recid}",
                  "parent_doi": f"https://doi.org/10.5072/callimachus.{parent}",
                  "files": f"{SITE}/api/records/{recid}/files", "latest_html": f"{SITE}/records/{recid}/latest"},
    }


@st.composite
def records(draw: Any, resource_type: str | None = None, access: str | None = None) -> dict[str, Any]:
    """A record dict around validated metadata of every field, with a random access status."""
    validated = draw(validated_records(resource_type))
    status = access or draw(st.sampled_from(ACCESS_STATUSES))
    keys = draw(st.lists(st.sampled_from(FILE_KEYS), max_size=3, unique=True))
    recid = str(draw(st.integers(2, 10**7)))
    return make_record(validated.metadata, validated.custom_fields, access=status, recid=recid, file_keys=keys)


def person(family: str, given: str, orcid: str | None = None, ror: str | None = None, aff: str = "CERN",
           role: str | None = None) -> dict[str, Any]:
    po: dict[str, Any] = {"type": "personal", "family_name": family, "given_name": given}
    if orcid:
        po["identifiers"] = [{"scheme": "orcid", "identifier": orcid}]
    entry: dict[str, Any] = {"person_or_org": po, "affiliations": [{"id": ror, "name": aff} if ror else {"name": aff}]}
    if role:
        entry["role"] = {"id": role}
    return entry


def full_input(resource_type: str = "dataset") -> tuple[dict[str, Any], dict[str, Any]]:
    """Metadata and custom fields as a client sends them, with every field set."""
    metadata = {
        "resource_type": {"id": resource_type},
        "creators": [person("Carberry", "Josiah", "0000-0002-1825-0097", "01ggx4157"),
                     {"person_or_org": {"type": "organizational", "name": "ACME & Partners <Research>"}}],
        "title": "Tide gauge records of the North Sea, 1900–2020",
        "additional_titles": [{"title": "A century of sea levels", "type": {"id": "subtitle"}, "lang": {"id": "eng"}}],
        "publication_date": "2024-05-17",
        "description": "<p>Hourly sea-level observations from <strong>42 tide gauges</strong> along the North Sea "
                       "coast, quality controlled and harmonised.</p>",
        "additional_descriptions": [{"description": "<p>Gauges were levelled to a common datum.</p>",
                                     "type": {"id": "methods"}, "lang": {"id": "eng"}}],
        "rights": [{"id": "cc-by-4.0"}],
        "subjects": [{"subject": "sea level"}, {"subject": "tide gauges"},
                     {"id": "https://www.oecd.org/science/1-5-5", "subject": "Oceanography", "scheme": "FOS"}],
        "contributors": [person("Doe", "Jane", role="datacurator"), person("Roe", "Richard", role="editor")],
        "dates": [{"date": "1900/2020", "type": {"id": "collected"}, "description": "Observation period"}],
        "languages": [{"id": "eng"}],
        "identifiers": [{"identifier": "https://example.org/tides?id=1&v=2", "scheme": "url"}],
        "related_identifiers": [{"identifier": "10.1234/paper.1", "scheme": "doi", "relation_type": {"id": "iscitedby"},
                                 "resource_type": {"id": "publication-article"}}],
        "sizes": ["42 files"], "formats": ["text/csv"], "version": "v2.1", "publisher": "Callimachus",
        "locations": {"features": [{"geometry": {"type": "Point", "coordinates": [4.3, 52.1]}, "place": "Scheveningen"},
                                   {"geometry": {"type": "Polygon", "coordinates": [[[-4, 51], [9, 51], [9, 61], [-4, 61], [-4, 51]]]},
                                    "place": "North Sea"}]},
        "funding": [{"funder": {"id": "00k4n6c32", "name": "European Commission"},
                     "award": {"number": "777541", "title": {"en": "OpenAIRE Connect"}}}],
        "references": [{"reference": "Smith (2020). Tides.", "identifier": "10.1234/ref.2", "scheme": "doi"}],
    }
    custom = {"journal:journal": {"title": "Journal of Tides", "volume": "12", "issue": "3", "pages": "101-120",
                                  "issn": "0378-5955"},
              "code:codeRepository": "https://github.com/example/tides"}
    return metadata, custom


def full_record(resource_type: str = "dataset", access: str = "open", recid: str = "124") -> dict[str, Any]:
    """A realistic record, its metadata normalised by ``validate_metadata`` as stored."""
    validated = validate_metadata(*full_input(resource_type))
    return make_record(validated.metadata, validated.custom_fields, access=access, recid=recid)
