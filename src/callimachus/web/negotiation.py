"""Content negotiation for record responses: the ``Accept`` header picks a serializer.

Serializers register under their media types (plus aliases); one of them answers when the
client accepts anything (no ``Accept``, or ``*/*``). Media-type parameters the client sends
(``text/x-bibliography; style=apa``) reach the serializer. Nothing acceptable: 406.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from callimachus.core.errors import NotAcceptable

Serializer = Callable[[dict[str, Any], dict[str, str]], bytes]


@dataclass(frozen=True)
class Variant:
    media_type: str
    serialize: Serializer
    content_type: str = ""  # what the response says; defaults to media_type
    aliases: tuple[str, ...] = ()

    @property
    def response_type(self) -> str:
        return self.content_type or self.media_type


@dataclass(frozen=True)
class AcceptItem:
    media_type: str
    params: dict[str, str]
    q: float
    order: int

    @property
    def specificity(self) -> int:
        kind, _, sub = self.media_type.partition("/")
        return 0 if kind == "*" else 1 if sub == "*" else 2


def parse_accept(header: str | None) -> list[AcceptItem]:
    """Accept items, best first (by q, then specificity, then the client's order)."""
    if not header or not header.strip():
        return [AcceptItem("*/*", {}, 1.0, 0)]
    items = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media_type = pieces[0].lower()
        if "/" not in media_type:
            continue
        params: dict[str, str] = {}
        q = 1.0
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
            elif name:
                params[name] = value
        items.append(AcceptItem(media_type, params, q, order))
    return sorted((i for i in items if i.q > 0), key=lambda i: (-i.q, -i.specificity, i.order))


@dataclass
class Negotiator:
    variants: list[Variant] = field(default_factory=list)
    default: Variant | None = None

    def register(self, variant: Variant, *, default: bool = False) -> None:
        """Add (or replace, by media type) a serializer; ``default`` answers ``*/*``."""
        self.variants = [v for v in self.variants if v.media_type != variant.media_type] + [variant]
        if default or self.default is None or self.default.media_type == variant.media_type:
            self.default = variant

    def _exact(self, media_type: str) -> Variant | None:
        """A variant registered under ``media_type``; its own type wins over another's alias."""
        for variant in self.variants:
            if media_type == variant.media_type:
                return variant
        for variant in self.variants:
            if media_type in variant.aliases:
                return variant
        return None

    def choose(self, accept: str | None) -> tuple[Variant, dict[str, str]]:
        for item in parse_accept(accept):
            if item.media_type == "*/*" and self.default is not None:
                return self.default, item.params
            exact = self._exact(item.media_type)
            if exact is not None:
                return exact, item.params
            if item.media_type.endswith("/*"):
                kind = item.media_type[:-1]
                if self.default is not None and self.default.media_type.startswith(kind):
                    return self.default, item.params
                for variant in self.variants:
                    if variant.media_type.startswith(kind):
                        return variant, item.params
        known = ", ".join(sorted({v.media_type for v in self.variants}))
        raise NotAcceptable(f"No representation matches the Accept header. Available: {known}.")
