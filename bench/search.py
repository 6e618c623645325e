"""Search: indexing throughput and query latency on synthetic records, against a bare Tantivy
index of the same records queried directly in the same run.

Records come from ``tests/search/synthetic.py`` (Zipf word frequencies, every access state). For
each backend the script reports documents indexed per second (from the native record JSON to
committed, searchable documents) and p50/p95 latency of a query mix (common, medium and rare
words, two-word conjunctions, phrases, field queries, ranges) run as the service runs them: the
query parsed, the anonymous visitor's access rule and "latest versions" applied, one page of 10
hits and every facet counted. Rendering the page's hits from the database is not included (see
``bench/records.py``). The baseline runs the same queries through Tantivy's own query parser on a
plain index of the same records (title, description, creators, subjects; same facet fields), with
the same page size and the same terms aggregations.

Targets: Tantivy p95 within 3x of the bare index and under 50 ms; PostgreSQL p95 under 500 ms;
Tantivy indexing at least 5,000 records per second.

Usage: python bench/search.py [--records 1000000] [--queries 300] [--no-postgres]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import tantivy
from common import ROOT, write_result
from tests.search.synthetic import FAMILY, Synthetic, generate, vocabulary

from callimachus.permissions import Action, Principal, search_filter
from callimachus.search import query as q
from callimachus.search.base import QueryRequest
from callimachus.search.documents import DocumentFacts, IndexDocument, build_document
from callimachus.search.facets import counts_of, facet_request
from callimachus.search.options import SORTS
from callimachus.search.parser import parse_query
from callimachus.search.postgres_index import PostgresIndex
from callimachus.search.tantivy_index import TantivyIndex

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SEED = 1
BATCH = 20_000
PG_URL = "postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dcallimachus_bench_search"


# --- records on disk --------------------------------------------------------------------------


def write_records(path: Path, count: int) -> list[tuple[int, int]]:
    """Generate ``count`` records into a JSON-lines file (record and access facts per line);
    returns the byte ranges of batches of ``BATCH`` lines."""
    ranges, start, lines = [], 0, 0
    with path.open("wb") as out:
        for item in generate(count, seed=SEED, now=NOW):
            facts = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(item.facts).items()}
            out.write(orjson.dumps({"record": item.record, "facts": facts}) + b"\n")
            lines += 1
            if lines % BATCH == 0:
                ranges.append((start, out.tell()))
                start = out.tell()
        if out.tell() > start:
            ranges.append((start, out.tell()))
    return ranges


def read_records(path: Path, start: int, end: int) -> Iterator[Synthetic]:
    with path.open("rb") as source:
        source.seek(start)
        for line in source.read(end - start).splitlines():
            raw = orjson.loads(line)
            facts = raw["facts"]
            for name in ("embargo_until", "created", "updated"):
                if facts[name] is not None:
                    facts[name] = datetime.fromisoformat(facts[name])
            yield Synthetic(raw["record"], DocumentFacts(**facts))


def _encode(job: tuple[str, str, int, int]) -> list[Any]:
    """In a worker process: one slice of the records file read, built into documents and encoded
    for the backend (Tantivy JSON, PostgreSQL rows)."""
    kind, path, start, end = job
    if kind == "bare":
        return [BareIndex.encode(build_document(s.record, s.facts), s.record) for s in read_records(Path(path), start, end)]
    encode = TantivyIndex.encode if kind == "tantivy" else PostgresIndex.encode
    return [encode(build_document(s.record, s.facts)) for s in read_records(Path(path), start, end)]


def _slices(start: int, end: int, parts: int, path: Path) -> list[tuple[int, int]]:
    """``parts`` byte ranges covering [start, end), cut at line ends."""
    with path.open("rb") as source:
        cuts = [start]
        for i in range(1, parts):
            source.seek(start + (end - start) * i // parts)
            source.readline()
            cuts.append(min(max(source.tell(), cuts[-1]), end))
        cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def built_batches(kind: str, path: Path, ranges: list[tuple[int, int]], pool: Any, parts: int) -> Iterator[list[Any]]:
    """Encoded documents, a batch of the file at a time, each batch split over the pool's processes."""
    done = 0
    for start, end in ranges:
        jobs = [(kind, str(path), a, b) for a, b in _slices(start, end, parts, path)]
        batch = [d for part in pool.map(_encode, jobs) for d in part]
        done += len(batch)
        print(f"\r  indexed {done:,}", end="", file=sys.stderr, flush=True)
        yield batch
    print(file=sys.stderr)


def index_into(kind: str, index: Any, path: Path, ranges: list[tuple[int, int]], pool: Any, workers: int) -> dict[str, Any]:
    """Fill ``index`` through its bulk path: records per second from the records file (native
    record JSON and access facts) to committed, searchable documents."""
    start = time.perf_counter()
    added = index.add_many(built_batches(kind, path, ranges, pool, workers * 4))
    seconds = time.perf_counter() - start
    return {"documents": added, "seconds": round(seconds, 1), "records_per_s": round(added / seconds)}


class Clock:
    """Time spent inside ``timed`` blocks only."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def timed(self, function: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        try:
            return function()
        finally:
            self.seconds += time.perf_counter() - start


# --- the bare baseline ------------------------------------------------------------------------

BARE_TEXT = ("title", "description", "creators", "subjects")
BARE_FACETS = ("resource_type", "resource_subtype", "access_base", "file_type", "subject", "license", "language", "publication_year", "communities")


class BareIndex:
    """A plain Tantivy index: the same text, with Tantivy's default tokenizer and query parser."""

    def __init__(self, path: Path) -> None:
        builder = tantivy.SchemaBuilder()
        for name in BARE_TEXT:
            builder.add_text_field(name, stored=False)
        builder.add_integer_field("key", stored=True, indexed=True, fast=True)
        builder.add_integer_field("pub_start", indexed=True, fast=True)
        builder.add_boolean_field("is_latest", indexed=True)
        for name in BARE_FACETS:
            builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
        self.schema = builder.build()
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path))
        self.writer = self.index.writer(heap_size=256_000_000, num_threads=0)

    @staticmethod
    def encode(doc: IndexDocument, record: dict[str, Any]) -> str:
        md = record["metadata"]
        out: dict[str, Any] = {
            "title": md["title"], "description": md["description"], "key": doc.key, "is_latest": doc.flags["is_latest"],
            "creators": [c["person_or_org"]["name"] for c in md["creators"]], "subjects": [s["subject"] for s in md["subjects"]],
            **({"pub_start": doc.dates["pub_start"]} if doc.dates["pub_start"] is not None else {}),
            **{name: values for name, values in doc.facets.items() if values},
        }  # fmt: skip
        return orjson.dumps(out).decode()

    def add_many(self, batches: Iterator[list[str]]) -> int:
        added = 0
        for batch in batches:
            for doc in batch:
                self.writer.add_json(doc)
            self.writer.commit()
            added += len(batch)
        return added

    def finish(self) -> None:
        self.writer.wait_merging_threads()
        self.index.reload()

    def search(self, text: str) -> int:
        searcher = self.index.searcher()
        query = self.index.parse_query(text, list(BARE_TEXT), conjunction_by_default=True)
        found = searcher.search(query, 10, count=True)
        aggs = {name: {"terms": {"field": name, "size": 1000, "segment_size": 10_000}} for name in BARE_FACETS}
        searcher.aggregate(query, aggs)
        return int(found.count)


# --- queries --------------------------------------------------------------------------------


def query_mix(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(kind, our query, the same query in Tantivy's syntax on the bare index).

    Common words are frequency ranks 10-100 (each in 6-55% of records); the ten most frequent
    behave as stop words (in nearly every record) and are left out. Phrases are adjacent words
    of titles of indexed records.
    """
    words = vocabulary(SEED).words
    common, medium, rare = words[10:100], words[100:1000], words[3000:5000]
    titles = [s.record["metadata"]["title"].lower().split() for s in generate(2000, seed=SEED, now=NOW)]
    pairs = [(t[i], t[i + 1]) for t in titles for i in range(len(t) - 1) if t[i].isascii() and t[i + 1].isascii()]
    start, end = 1420070400, 1577836799  # [2015 TO 2020} as seconds, for the bare index
    makers: list[Callable[[], tuple[str, str, str]]] = [
        lambda: ("common word", w := rng.choice(common), w),
        lambda: ("medium word", w := rng.choice(medium), w),
        lambda: ("rare word", w := rng.choice(rare), w),
        lambda: ("two words", f"{(a := rng.choice(common))} {(b := rng.choice(medium))}", f"{a} {b}"),
        lambda: ("phrase", f'"{(p := rng.choice(pairs))[0]} {p[1]}"', f'"{p[0]} {p[1]}"'),
        lambda: ("title field", f"title:{(w := rng.choice(medium))}", f"title:{w}"),
        lambda: ("creator field", f"creators.name:{(w := rng.choice(FAMILY).lower())}", f"creators:{w}"),
        lambda: ("range", "publication_date:[2015 TO 2020}", f"pub_start:[{start} TO {end}]"),
        lambda: ("word and range", f"{(w := rng.choice(medium))} AND publication_date:[2015 TO 2020}}", f"{w} AND pub_start:[{start} TO {end}]"),
    ]
    return [makers[i % len(makers)]() for i in range(count)]


def ours(index: Any) -> Callable[[str], int]:
    """The search as ``services.search.search_records`` runs it for an anonymous visitor."""
    who = Principal(user_id=None)

    def run(text: str) -> int:
        read = q.from_access_filter(search_filter(Action.READ_RECORD, who, NOW))
        files = q.from_access_filter(search_filter(Action.READ_FILES, who, NOW))
        parsed = parse_query(text, files_filter=files, now=NOW)
        base = q.all_of((q.Flag("is_draft", False), read, q.Flag("is_latest", True), parsed))
        sort = SORTS["bestmatch"] if q.has_positive_text(parsed) else SORTS["newest"]
        result = index.query(QueryRequest(base, q.Everything(), sort, 11, facets=facet_request(files, NOW)))
        counts_of(result.facets)
        return result.hits.total

    return run


def latencies(run: Callable[[str], int], queries: list[str], warmup: int = 20) -> dict[str, float]:
    for text in queries[:warmup]:
        run(text)
    times = []
    for text in queries:
        start = time.perf_counter()
        run(text)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2), "max_ms": round(times[-1], 2)}


def per_kind(run: Callable[[str], int], mix: list[tuple[str, str, str]], column: int) -> dict[str, float]:
    kinds: dict[str, list[str]] = {}
    for item in mix:
        kinds.setdefault(item[0], []).append(item[column])
    return {kind: latencies(run, texts, warmup=2)["p95_ms"] for kind, texts in kinds.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=360)
    parser.add_argument("--workers", type=int, default=max(2, multiprocessing.cpu_count()))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--work", type=Path, default=None, help="Folder for the records file and indexes.")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"records": args.records, "workers": args.workers, "queries": args.queries}
    data = work / f"records-{args.records}.jsonl"
    print(f"Generating {args.records:,} records into {data}", file=sys.stderr)
    ranges = write_records(data, args.records)
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        print("Tantivy (Callimachus):", file=sys.stderr)
        ours_index = TantivyIndex(work / "callimachus")
        result["tantivy_indexing"] = index_into("tantivy", ours_index, data, ranges, pool, args.workers)
        print("Tantivy (bare):", file=sys.stderr)
        bare = BareIndex(work / "bare")
        bare.add_many(built_batches("bare", data, ranges, pool, args.workers * 4))
        bare.finish()
        mix = query_mix(args.queries, random.Random(5))
        run_ours = ours(ours_index)
        result["tantivy"] = latencies(run_ours, [m[1] for m in mix])
        result["bare"] = latencies(bare.search, [m[2] for m in mix])
        result["tantivy_ratio_p95"] = round(result["tantivy"]["p95_ms"] / result["bare"]["p95_ms"], 2)
        result["tantivy_p95_by_kind"] = per_kind(run_ours, mix, 1)
        result["bare_p95_by_kind"] = per_kind(bare.search, mix, 2)
        if not args.no_postgres:
            result.update(postgres(data, ranges, mix, pool, args.workers))
    write_result("search", result)


def postgres(data: Path, ranges: list[tuple[int, int]], mix: list[tuple[str, str, str]], pool: Any, workers: int) -> dict[str, Any]:
    from sqlalchemy import create_engine, text

    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")
    with admin.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS callimachus_bench_search CASCADE"))
        conn.execute(text("CREATE SCHEMA callimachus_bench_search"))
    index = PostgresIndex(PG_URL)
    index.ensure_schema()
    print("PostgreSQL:", file=sys.stderr)
    out: dict[str, Any] = {"postgres_indexing": index_into("postgresql", index, data, ranges, pool, workers)}
    with index.engine.begin() as conn:
        conn.execute(text("ANALYZE search_documents"))
    run = ours(index)
    out["postgres"] = latencies(run, [m[1] for m in mix])
    out["postgres_p95_by_kind"] = per_kind(run, mix, 1)
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
