"""OAI-PMH requests: the keyword arguments of a GET query or a POST form, checked as the protocol
says (OAI-PMH 2.0 §3.1, §3.3.1, §3.6) before anything is looked up.

``parse`` returns an :class:`OaiRequest` or raises :class:`OaiErrors` with ``badVerb`` (missing,
repeated or unknown verb) or ``badArgument`` (illegal, repeated or missing arguments, a
resumption token with other arguments, malformed values, mixed granularities, ``from`` after
``until``). Both of these errors echo no argument in the response's ``request`` element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # verb: (required arguments, optional arguments); resumptionToken is always exclusive.
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set", "resumptionToken"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set", "resumptionToken"})),
}
RESUMABLE = ("ListIdentifiers", "ListRecords", "ListSets")

# Value syntax from the OAI-PMH schema (metadataPrefixType, setSpecType) and §3.3.1.
_UNRESERVED = r"[A-Za-z0-9\-_.!~*'()]"
METADATA_PREFIX = re.compile(rf"{_UNRESERVED}+")
SET_SPEC = re.compile(rf"{_UNRESERVED}+(:{_UNRESERVED}+)*")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# A URI as the request echo may carry it (anyURI without characters that need escaping).
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_XML_CHARS = re.compile("^[\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$")


@dataclass(frozen=True)
class OaiError:
    code: str
    message: str


class OaiErrors(Exception):
    """One or more OAI-PMH errors; ``echo`` holds the arguments the response may repeat."""

    def __init__(self, errors: list[OaiError], echo: dict[str, str] | None = None) -> None:
        super().__init__("; ".join(f"{e.code}: {e.message}" for e in errors))
        self.errors = errors
        self.echo = dict(echo or {})


@dataclass(frozen=True)
class OaiRequest:
    verb: str
    args: dict[str, str] = field(default_factory=dict)

    def echo(self) -> dict[str, str]:
        """The arguments the ``request`` element may carry: the verb and every argument whose value
        is valid for its type in the OAI-PMH schema (an unknown identifier with a quote in it is
        answered, but not repeated)."""
        out = {"verb": self.verb}
        for name, value in self.args.items():
            if _echoable(name, value):
                out[name] = value
        return out


def _echoable(name: str, value: str) -> bool:
    if not _XML_CHARS.match(value):
        return False
    if name == "identifier":
        return URI.fullmatch(value) is not None
    if name == "metadataPrefix":
        return METADATA_PREFIX.fullmatch(value) is not None
    if name == "set":
        return SET_SPEC.fullmatch(value) is not None
    if name in ("from", "until"):
        return parse_datestamp(value) is not None
    return name == "resumptionToken"


def parse_datestamp(value: str) -> tuple[datetime, bool] | None:
    """``(moment, is_day)`` for ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ssZ`` (UTC); None otherwise."""
    try:
        if DAY.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), True
        if SECOND.fullmatch(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), False
    except ValueError:
        return None
    return None


def _bad(message: str) -> OaiError:
    return OaiError("badArgument", message)


def _verb(pairs: list[tuple[str, str]]) -> str:
    verbs = [value for key, value in pairs if key == "verb"]
    if not verbs:
        raise OaiErrors([OaiError("badVerb", "The verb argument is missing.")])
    if len(verbs) > 1:
        raise OaiErrors([OaiError("badVerb", "The verb argument is repeated.")])
    if verbs[0] not in VERBS:
        raise OaiErrors([OaiError("badVerb", "The value of the verb argument is not a legal OAI-PMH verb.")])
    return verbs[0]


def _dates(args: dict[str, str]) -> list[OaiError]:
    parsed = {}
    problems = []
    for name in ("from", "until"):
        if name in args:
            found = parse_datestamp(args[name])
            if found is None:
                problems.append(_bad(f"'{name}' is not a date of the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ."))
            else:
                parsed[name] = found
    if len(parsed) == 2:
        (start, start_day), (end, end_day) = parsed["from"], parsed["until"]
        if start_day != end_day:
            problems.append(_bad("'from' and 'until' must have the same granularity."))
        elif start > end:
            problems.append(_bad("'from' must not be later than 'until'."))
    return problems


def _values(args: dict[str, str]) -> list[OaiError]:
    problems = []
    for name, value in args.items():
        if value == "":
            problems.append(_bad(f"The argument '{name}' has an empty value."))
    if args.get("metadataPrefix") and not METADATA_PREFIX.fullmatch(args["metadataPrefix"]):
        problems.append(_bad("'metadataPrefix' has an illegal syntax."))
    if args.get("set") and not SET_SPEC.fullmatch(args["set"]):
        problems.append(_bad("'set' is not a legal setSpec."))
    return problems + _dates({k: v for k, v in args.items() if v})


def parse(pairs: list[tuple[str, str]]) -> OaiRequest:
    """Check the request's ``key=value`` pairs (in order, repeats kept)."""
    verb = _verb(pairs)
    required, optional = VERBS[verb]
    allowed = required | optional
    args: dict[str, str] = {}
    problems: list[OaiError] = []
    for key, value in pairs:
        if key == "verb":
            continue
        if key in args:
            problems.append(_bad(f"The argument '{key}' is repeated."))
        elif key not in allowed:
            problems.append(_bad(f"'{key}' is not an argument of {verb}."))
        else:
            args[key] = value
    if "resumptionToken" in args:
        others = sorted(k for k in args if k != "resumptionToken")
        if others:
            problems.append(_bad(f"resumptionToken is an exclusive argument; remove {', '.join(others)}."))
    else:
        problems += [_bad(f"The required argument '{name}' is missing.") for name in sorted(required - set(args))]
    problems += _values(args)
    if problems:
        raise OaiErrors(problems)
    return OaiRequest(verb, args)


def datestamp_range(args: dict[str, str]) -> tuple[datetime | None, datetime | None]:
    """``from``/``until`` as ``start <= datestamp < end``: ``until`` covers its whole day or second,
    as datestamps are disseminated to the second."""
    start = end = None
    if "from" in args:
        found = parse_datestamp(args["from"])
        start = found[0] if found else None
    if "until" in args:
        found = parse_datestamp(args["until"])
        if found:
            end = found[0] + (timedelta(days=1) if found[1] else timedelta(seconds=1))
    return start, end
