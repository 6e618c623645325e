"""Synthetic records for the search conformance suite and the search benchmark.

Words follow a Zipf distribution (a few very common, a long tail of rare ones), as in real
text; titles, descriptions, creators, subjects, resource types, dates (years, months, days,
intervals, old dates), licences, languages, files and every access state are drawn from seeded
random generators, so a seed always gives the same records.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

from callimachus.search.documents import DocumentFacts

SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "da", "gor", "lin", "tes", "mar", "qu", "zel", "bri", "ost", "ang", "ul")
SPECIAL_WORDS = ("café", "Ølsen", "naïve", "Straße", "Ångström", "résumé", "façade", "Zürich", "Łódź", "Δέλτα")
RESOURCE_TYPES = (("dataset", 40), ("software", 15), ("publication-article", 15), ("publication-preprint", 5), ("publication-report", 4),
                  ("image-photo", 5), ("image-figure", 4), ("poster", 4), ("presentation", 4), ("video", 2), ("lesson", 1), ("other", 1))  # fmt: skip
LICENSES = (("cc-by-4.0", 50), ("cc0-1.0", 25), ("mit", 10), ("apache-2.0", 6), ("cc-by-sa-4.0", 5), ("gpl-3.0-or-later", 4))
LANGUAGES = (("eng", 80), ("deu", 6), ("fra", 5), ("spa", 4), ("ita", 3), ("jpn", 2))
EXTENSIONS = (("csv", 30), ("pdf", 25), ("zip", 15), ("txt", 10), ("json", 8), ("png", 6), ("nc", 4), ("h5", 2))
# access state -> weight (embargo dates are relative to ``now``)
ACCESS_STATES = (("open", 70), ("restricted-files", 9), ("restricted-record", 6), ("embargo-future", 5), ("embargo-past", 4), ("metadata-only", 6))
GIVEN = ("Josiah", "Ada", "Grace", "Alan", "Marie", "Niels", "Lise", "Emmy", "Srinivasa", "Hedy", "Rosalind", "Chien-Shiung", "José", "Zoë")
FAMILY = ("Carberry", "Lovelace", "Hopper", "Turing", "Curie", "Bohr", "Meitner", "Noether", "Ramanujan", "Lamarr", "Franklin", "Wu", "Müller", "Ølsen")


class Words:
    """A vocabulary drawn from with Zipf frequencies (rank r has weight 1 / r^s)."""

    def __init__(self, size: int, rng: random.Random, s: float = 1.07) -> None:
        words: set[str] = set(SPECIAL_WORDS)
        while len(words) < size:
            words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        self.words = sorted(words, key=lambda w: (w not in SPECIAL_WORDS, w))
        rng.shuffle(self.words)
        self.cumulative = list(accumulate(1.0 / (rank**s) for rank in range(1, len(self.words) + 1)))

    def sample(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def common(self, n: int) -> list[str]:
        return self.words[:n]

    def rare(self, n: int) -> list[str]:
        return self.words[-n:]


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options], k=1)[0]


def _date(rng: random.Random) -> str:
    year = rng.choice((1789, 1905)) if rng.random() < 0.01 else rng.randint(1995, 2025)
    kind = rng.random()
    if kind < 0.2:
        return str(year)
    if kind < 0.3:
        return f"{year}-{rng.randint(1, 12):02d}"
    if kind < 0.37:
        return f"{year}/{min(year + rng.randint(0, 3), 2026)}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _creator(rng: random.Random, words: Words) -> dict[str, Any]:
    family, given = rng.choice(FAMILY), rng.choice(GIVEN)
    person: dict[str, Any] = {"type": "personal", "family_name": family, "given_name": given, "name": f"{family}, {given}"}
    if rng.random() < 0.3:
        person["identifiers"] = [{"scheme": "orcid", "identifier": f"0000-000{rng.randint(1, 9)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"}]
    return {"person_or_org": person, "affiliations": [{"name": " ".join(words.sample(rng, 2)).title() + " University"}]}


def record_json(recid: int, parent_id: int, version: int, rng: random.Random, words: Words, subjects: list[str]) -> dict[str, Any]:
    """A native record JSON of the kind ``services.render.record_json`` returns."""
    files = {}
    if rng.random() < 0.9:
        for _ in range(rng.randint(1, 3)):
            ext = _weighted(rng, EXTENSIONS)
            key = f"{'_'.join(words.sample(rng, 2))}.{ext}"
            files[key] = {"key": key, "ext": ext}
    metadata = {
        "resource_type": {"id": _weighted(rng, RESOURCE_TYPES)},
        "title": " ".join(words.sample(rng, rng.randint(4, 10))).capitalize(),
        "description": "<p>" + " ".join(words.sample(rng, rng.randint(20, 120))) + "</p>",
        "publication_date": _date(rng),
        "creators": [_creator(rng, words) for _ in range(rng.randint(1, 4))],
        "subjects": [{"subject": s} for s in rng.sample(subjects, rng.randint(0, 3))],
        "rights": [{"id": _weighted(rng, LICENSES)}],
        "languages": [{"id": _weighted(rng, LANGUAGES)}],
        "version": f"v{version}.{rng.randint(0, 9)}",
        "publisher": "Callimachus",
    }
    return {
        "id": str(recid),
        "metadata": metadata,
        "files": {"enabled": bool(files), "entries": files},
        "versions": {"index": version},
        "pids": {"doi": {"identifier": f"10.5072/synthetic.{recid}"}},
        "parent": {"id": str(parent_id), "pids": {"doi": {"identifier": f"10.5072/synthetic.{parent_id}"}}, "communities": {"ids": []}},
        "status": "published",
    }


@dataclass(frozen=True)
class Synthetic:
    record: dict[str, Any]
    facts: DocumentFacts


def _facts(rng: random.Random, parent_id: int, owner: int, *, latest: bool, files: bool, now: datetime, created: datetime) -> DocumentFacts:
    state = _weighted(rng, ACCESS_STATES) if files else "metadata-only"
    record, files_access, until = "public", "public", None
    if state == "restricted-files":
        files_access = "restricted"
    elif state == "restricted-record":
        record = files_access = "restricted"
    elif state in ("embargo-future", "embargo-past"):
        files_access = "restricted"
        record = "restricted" if rng.random() < 0.3 else "public"
        days = rng.randint(1, 700)
        until = now + timedelta(days=days) if state == "embargo-future" else now - timedelta(days=days)
    return DocumentFacts(
        is_draft=False, published=True, parent_id=parent_id, owner_id=owner, access_record=record,
        access_files=files_access, embargo_until=until, files_enabled=files and state != "metadata-only",
        is_latest=latest, is_latest_draft=latest, user_view=True, created=created, updated=created + timedelta(hours=rng.randint(0, 500)),
    )  # fmt: skip


def generate(count: int, *, seed: int = 7, vocabulary: int = 5000, now: datetime | None = None, drafts: bool = True) -> Iterator[Synthetic]:
    """``count`` records (versions of concepts; some concepts with a draft too), deterministic per seed."""
    rng = random.Random(seed)
    words = Words(vocabulary, rng)
    subjects = [" ".join(words.sample(rng, rng.randint(1, 2))).title() for _ in range(200)]
    now = now or datetime(2026, 1, 1, tzinfo=UTC)
    made, recid = 0, 1
    while made < count:
        parent_id = recid
        versions = rng.choices((1, 2, 3), weights=(85, 10, 5))[0]
        owner = rng.randint(1, 50)
        created = now - timedelta(days=rng.randint(0, 4000), seconds=rng.randint(0, 86_399))
        has_draft = drafts and rng.random() < 0.05
        for version in range(1, versions + 1):
            recid += 1
            record = record_json(recid, parent_id, version, rng, words, subjects)
            facts = _facts(rng, parent_id, owner, latest=version == versions, files=bool(record["files"]["entries"]), now=now, created=created + timedelta(days=version))
            if has_draft:
                facts = replace(facts, is_latest_draft=False)
            yield Synthetic(record, facts)
            made += 1
        if has_draft and made < count:
            recid += 1
            record = record_json(recid, parent_id, versions + 1, rng, words, subjects)
            record["status"] = "new_version_draft"
            facts = DocumentFacts(
                is_draft=True, published=False, parent_id=parent_id, owner_id=owner, access_record="public",
                access_files="public", embargo_until=None, files_enabled=True, is_latest=False,
                is_latest_draft=True, user_view=True, created=now, updated=now,
            )  # fmt: skip
            yield Synthetic(record, facts)
            made += 1
        recid += 1  # the next concept's id


def vocabulary(seed: int = 7, size: int = 5000) -> Words:
    """The vocabulary ``generate`` uses for ``seed`` (for picking common and rare query words)."""
    return Words(size, random.Random(seed))
