"""Bench-only bulk loader: published records inserted directly with SQLAlchemy Core.

Publishing 100,000 records through the API would take hours, so this writes the rows publishing
produces (``services/drafts.py: publish_draft``), consistently: a concept id and a version id from
the recid sequence, the parent with its concept DOI, a locked bucket with completed file objects
pointing to blobs, the record (metadata normalised by ``validate_metadata`` as the API stores it,
drawn from a pool of 500 varied deposits with a title of its own; publisher and DOI added as
publishing adds them), registered version and concept DOIs, and the
draft's "create" revision and the record's "publish" revision. Blob rows carry no bytes on disk
(OAI-PMH never reads file content). Not for production use.

Usage: python bench/oai_load.py DATABASE_URL COUNT [--owner-id N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select

from callimachus.db.engine import create_db_engine
from callimachus.db.models import (
    Blob,
    Bucket,
    FileObject,
    Parent,
    PersistentIdentifier,
    RecidSequence,
    Record,
    Revision,
)
from callimachus.metadata.validation import validate_metadata

WORDS = ("ocean", "temperature", "salinity", "glacier", "isotope", "protein", "genome", "neural", "network", "survey",
         "climate", "sediment", "microbial", "archive", "manuscript", "medieval", "spectra", "galaxy", "lattice",
         "quantum", "catalyst", "soil", "river", "urban", "mobility", "language", "corpus", "election", "vaccine",
         "cohort", "seismic", "aerosol", "coral", "forest", "drought", "pollen", "fossil", "enzyme", "polymer", "graph")
GIVEN = ("Ada", "Alan", "Grace", "Marie", "Niels", "Rosalind", "Emmy", "Carl", "Lise", "Srinivasa", "Hedy", "Chien-Shiung")
FAMILY = ("Lovelace", "Turing", "Hopper", "Curie", "Bohr", "Franklin", "Noether", "Gauss", "Meitner", "Ramanujan", "Lamarr", "Wu")
AFFILIATIONS = ("CERN", "University of Oslo", "ETH Zurich", "Universidade de São Paulo", "Kyoto University", "MIT")
TYPES = (("dataset", 40), ("publication-article", 20), ("software", 10), ("image-figure", 5), ("publication-preprint", 8),
         ("presentation", 5), ("poster", 4), ("publication-thesis", 3), ("video", 2), ("other", 3))
LICENCES = ("cc-by-4.0", "cc0-1.0", "cc-by-sa-4.0", "mit", "apache-2.0")
BATCH = 1000
POOL = 500


def _phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_metadata(rng: random.Random, index: int) -> dict[str, Any]:
    """A varied, realistic deposit as a client sends it (validated afterwards)."""
    rtype = rng.choices([t for t, _ in TYPES], weights=[w for _, w in TYPES])[0]
    creators = []
    for _ in range(rng.randint(1, 5)):
        person: dict[str, Any] = {"type": "personal", "given_name": rng.choice(GIVEN), "family_name": rng.choice(FAMILY)}
        creators.append({"person_or_org": person, "affiliations": [{"name": rng.choice(AFFILIATIONS)}]})
    return {
        "resource_type": {"id": rtype},
        "title": f"{_phrase(rng, 6).capitalize()} ({index})",
        "publication_date": f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "creators": creators,
        "description": f"<p>{_phrase(rng, 40).capitalize()}.</p><p>{_phrase(rng, 25).capitalize()}.</p>",
        "rights": [{"id": rng.choice(LICENCES)}],
        "subjects": [{"subject": w} for w in rng.sample(WORDS, rng.randint(1, 5))],
        "version": f"v{rng.randint(1, 4)}.{rng.randint(0, 9)}",
        "languages": [{"id": "eng"}],
    }


def _access(rng: random.Random, when: datetime) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.05:  # restricted files, public metadata
        return {"access_record": "public", "access_files": "restricted", "embargo_until": None}
    if roll < 0.08:  # embargoed files
        return {"access_record": "public", "access_files": "restricted", "embargo_until": when + timedelta(days=3650)}
    return {"access_record": "public", "access_files": "public", "embargo_until": None}


def _rows(rng: random.Random, first_id: int, index: int, owner: int, when: datetime, prefix: str,
          pool: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    parent_id, recid = first_id, first_id + 1
    validated = {**rng.choice(pool), "title": f"{_phrase(rng, 6).capitalize()} ({index})"}
    metadata = {**validated, "publisher": "Callimachus"}
    doi, concept = f"{prefix}/callimachus.{recid}", f"{prefix}/callimachus.{parent_id}"
    bucket = str(uuid.UUID(int=rng.getrandbits(128)))
    access = _access(rng, when)
    files, blobs = [], []
    for n in range(rng.randint(1, 3)):
        sha = hashlib.sha256(f"{recid}-{n}".encode()).hexdigest()
        blob_id = str(uuid.UUID(int=rng.getrandbits(128)))
        blobs.append({"id": blob_id, "sha256": sha, "md5": hashlib.md5(sha.encode()).hexdigest(), "size": rng.randint(10**3, 10**9),
                      "storage_key": f"blobs/{sha[:2]}/{sha[2:4]}/{sha}", "created_at": when})
        key = f"{rng.choice(WORDS)}-{n}.{rng.choice(('csv', 'zip', 'pdf', 'nc', 'txt'))}"
        files.append({"id": str(uuid.UUID(int=rng.getrandbits(128))), "bucket_id": bucket, "key": key, "blob_id": blob_id,
                      "status": "completed", "mimetype": None, "metadata": {}, "created_at": when, "updated_at": when})
    draft_data = {"files": {"order": [], "default_preview": None}, "metadata": validated, "custom_fields": {}, "pids": {}}
    data = {**draft_data, "metadata": metadata, "pids": {"doi": {"identifier": doi, "provider": "local"}}}
    state = {"access": {"record": access["access_record"], "files": access["access_files"],
                        "embargo_until": access["embargo_until"].isoformat() if access["embargo_until"] else None,
                        "embargo_reason": None},
             "files_enabled": True, "version_index": 1, "parent_id": parent_id}
    return {
        "recids": [{"id": parent_id, "created_at": when}, {"id": recid, "created_at": when}],
        "parents": [{"id": parent_id, "owner_id": owner, "doi": concept, "latest_id": recid, "latest_index": 1,
                     "access_settings": {}, "created_at": when, "updated_at": when}],
        "buckets": [{"id": bucket, "quota_bytes": 50 * 1000**3, "max_files": 100, "locked": True, "created_at": when}],
        "blobs": blobs,
        "file_objects": files,
        "records": [{"id": recid, "parent_id": parent_id, "version_index": 1, "bucket_id": bucket, "data": data,
                     "embargo_reason": None, "files_enabled": True, "revision_id": 1, "status": "published",
                     "created_at": when, "updated_at": when, "published_at": when, "deleted_at": None, "tombstone": None,
                     **access}],
        "pids": [{"scheme": "doi", "value": doi.lower(), "display": doi, "record_id": recid, "parent_id": None,
                  "provider": "local", "status": "registered", "created_at": when},
                 {"scheme": "doi", "value": concept.lower(), "display": concept, "record_id": None, "parent_id": parent_id,
                  "provider": "local", "status": "registered", "created_at": when}],
        "revisions": [{"recid": recid, "kind": "draft", "revision_id": 1, "actor_id": owner, "action": "create",
                       "created_at": when, "data": {"data": draft_data, **state}},
                      {"recid": recid, "kind": "record", "revision_id": 1, "actor_id": owner, "action": "publish",
                       "created_at": when, "data": {"data": data, **state}}],
    }


TABLES = {"recids": RecidSequence, "parents": Parent, "buckets": Bucket, "blobs": Blob, "file_objects": FileObject,
          "records": Record, "pids": PersistentIdentifier, "revisions": Revision}


def load(engine: Engine, count: int, *, owner: int = 1, doi_prefix: str = "10.5072", seed: int = 42) -> None:
    """Insert ``count`` published records in batches (one transaction per batch)."""
    rng = random.Random(seed)
    # Validating is the slow part (about 5 ms a deposit): draw from a pool of validated deposits,
    # each record with a title of its own.
    pool = [validate_metadata(make_metadata(rng, n), {}).metadata for n in range(min(count, POOL))]
    with engine.connect() as conn:
        next_id = int(conn.scalar(select(func.coalesce(func.max(RecidSequence.id), 0))) or 0) + 1
    start = datetime.now(UTC) - timedelta(seconds=count)
    done = 0
    while done < count:
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        for index in range(done, min(done + BATCH, count)):
            when = start + timedelta(seconds=index, microseconds=rng.randint(0, 999_999))
            for name, rows in _rows(rng, next_id, index, owner, when, doi_prefix, pool).items():
                batch[name] += rows
            next_id += 2
        with engine.begin() as conn:
            for name, model in TABLES.items():
                conn.execute(insert(model), batch[name])
        done += len(batch["records"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("count", type=int)
    parser.add_argument("--owner-id", type=int, default=1)
    args = parser.parse_args()
    engine = create_db_engine(args.database_url)
    load(engine, args.count, owner=args.owner_id)
    engine.dispose()


if __name__ == "__main__":
    main()
