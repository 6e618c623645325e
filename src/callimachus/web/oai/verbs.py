"""The six OAI-PMH verbs: each reads through :mod:`callimachus.services.oai` and answers with a
response document (:mod:`.xml`), or raises :class:`OaiErrors` with the protocol's error codes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lxml import etree

from callimachus.services import oai, oai_payloads, oai_sets
from callimachus.services.context import ServiceContext
from callimachus.services.oai import Item, Selection
from callimachus.services.oai_payloads import FreshPayload, OaiFormat
from callimachus.web.oai import xml
from callimachus.web.oai.arguments import OaiError, OaiErrors, OaiRequest, datestamp_range
from callimachus.web.oai.tokens import Resumption, TokenError, TokenSigner

log = logging.getLogger(__name__)

# oai-identifier.xsd's repositoryIdentifierType: a domain name with at least one dot.
REPOSITORY_IDENTIFIER = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
MAX_RECID = 2**62


@dataclass
class Exchange:
    """One request being answered: what it needs, and payloads rendered on the way."""

    ctx: ServiceContext
    request: OaiRequest
    base_url: str
    now: datetime
    signer: TokenSigner
    fresh: list[FreshPayload] = field(default_factory=list)

    def identifier(self, recid: int) -> str:
        return f"oai:{self.ctx.settings.oai_domain}:{recid}"

    def recid(self, identifier: str) -> int | None:
        """The record id an identifier names, or None when it cannot name one of ours."""
        local = identifier.removeprefix(f"oai:{self.ctx.settings.oai_domain}:")
        if local == identifier or not local.isascii() or not local.isdigit() or local.startswith("0"):
            return None
        recid = int(local)
        return recid if 0 < recid <= MAX_RECID else None

    def document(self) -> etree._Element:
        return xml.document(self.base_url, self.now, self.request.echo())


def _error(code: str, message: str) -> OaiErrors:
    return OaiErrors([OaiError(code, message)])


def identify(ex: Exchange) -> etree._Element:
    with ex.ctx.unit_of_work() as uow:
        info = oai.repository(ex.ctx, uow)
    root = ex.document()
    body = xml.add(root, "Identify")
    for tag, text in (("repositoryName", info.name), ("baseURL", ex.base_url), ("protocolVersion", "2.0"),
                      ("adminEmail", info.admin_email), ("earliestDatestamp", xml.utc(info.earliest_datestamp)),
                      ("deletedRecord", "persistent"), ("granularity", "YYYY-MM-DDThh:mm:ssZ")):
        xml.add(body, tag, text)
    domain = ex.ctx.settings.oai_domain
    if REPOSITORY_IDENTIFIER.fullmatch(domain):
        xml.oai_identifier_description(body, domain, ex.identifier(1))
    else:
        log.warning("oai_domain %r is not a domain name with a dot: Identify omits the oai-identifier description", domain)
    return root


def _find(ex: Exchange, identifier: str, fmt: OaiFormat | None) -> Item | None:
    recid = ex.recid(identifier)
    if recid is None:
        return None
    with ex.ctx.unit_of_work() as uow:
        page = oai.get_item(ex.ctx, uow, recid, fmt)
    ex.fresh += page.fresh
    return page.items[0] if page.items else None


def list_metadata_formats(ex: Exchange) -> etree._Element:
    identifier = ex.request.args.get("identifier")
    if identifier is not None and _find(ex, identifier, None) is None:
        raise _error("idDoesNotExist", "No record has this identifier.")
    root = ex.document()
    body = xml.add(root, "ListMetadataFormats")
    for fmt in oai_payloads.oai_formats():
        element = xml.add(body, "metadataFormat")
        xml.add(element, "metadataPrefix", fmt.prefix)
        xml.add(element, "schema", fmt.schema)
        xml.add(element, "metadataNamespace", fmt.namespace)
    return root


def list_sets(ex: Exchange) -> etree._Element:
    if "resumptionToken" in ex.request.args:
        raise _error("badResumptionToken", "The set list is complete in one response; this token was not issued here.")
    root = ex.document()
    body = xml.add(root, "ListSets")
    for found in oai_sets.all_sets():
        element = xml.add(body, "set")
        xml.add(element, "setSpec", found.spec)
        xml.add(element, "setName", found.name)
    return root


def get_record(ex: Exchange) -> etree._Element:
    fmt = oai_payloads.oai_format(ex.request.args["metadataPrefix"])
    item = _find(ex, ex.request.args["identifier"], fmt)
    problems = []
    if fmt is None:
        problems.append(OaiError("cannotDisseminateFormat", "This metadata format is not offered here."))
    if item is None:
        problems.append(OaiError("idDoesNotExist", "No record has this identifier."))
    elif fmt is not None and not item.deleted and item.payload is None:
        problems.append(OaiError("cannotDisseminateFormat", "This record cannot be disseminated in this format."))
    if problems or item is None:
        raise OaiErrors(problems)
    root = ex.document()
    xml.record(xml.add(root, "GetRecord"), item, ex.identifier(item.recid))
    return root


def _start(ex: Exchange) -> tuple[Resumption, OaiFormat]:
    """A new list: its format, selection and size; or the list a resumption token continues."""
    args = ex.request.args
    if "resumptionToken" in args:
        try:
            token = ex.signer.loads(args["resumptionToken"])
        except TokenError:
            raise _error("badResumptionToken", "The resumption token is invalid or has expired.") from None
        fmt = oai_payloads.oai_format(token.prefix or "")
        if token.verb != ex.request.verb or fmt is None:
            raise _error("badResumptionToken", f"This resumption token does not continue a {ex.request.verb} list.")
        return token, fmt
    fmt = oai_payloads.oai_format(args["metadataPrefix"])
    if fmt is None:
        raise _error("cannotDisseminateFormat", "This metadata format is not offered here.")
    set_spec = args.get("set")
    if set_spec is not None and oai_sets.find_set(set_spec) is None:
        raise _error("noRecordsMatch", "This repository has no such set.")
    start, end = datestamp_range(args)
    selection = Selection(set_spec, start, end)
    with ex.ctx.unit_of_work() as uow:
        total = oai.count_items(ex.ctx, uow, selection)
    if total == 0:
        raise _error("noRecordsMatch", "No record matches these arguments.")
    return Resumption(ex.request.verb, fmt.prefix, set_spec, _iso(start), _iso(end), ("", 0), 0, total), fmt


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _list(ex: Exchange, with_metadata: bool) -> etree._Element:
    state, fmt = _start(ex)
    selection = Selection(state.set_spec, _moment(state.start), _moment(state.end))
    after = state.after_key if state.after[0] else None
    with ex.ctx.unit_of_work() as uow:
        page = oai.list_items(ex.ctx, uow, selection, after=after, limit=max(1, ex.ctx.settings.oai_page_size),
                              fmt=fmt if with_metadata else None)
    ex.fresh += page.fresh
    if not page.items:
        raise _error("noRecordsMatch", "No record matches these arguments any more.")
    root = ex.document()
    body = xml.add(root, ex.request.verb)
    for item in page.items:
        (xml.record if with_metadata else xml.header)(body, item, ex.identifier(item.recid))
    sent = state.cursor + len(page.items)
    total = max(state.total, sent + (1 if page.more else 0))
    if page.more or state.cursor:
        token = ""
        if page.more and page.last is not None:
            last = page.last
            token = ex.signer.dumps(Resumption(state.verb, state.prefix, state.set_spec, state.start, state.end,
                                               (last[0].isoformat(), last[1]), sent, total))
        expires = ex.now + timedelta(seconds=ex.signer.lifetime_seconds)
        xml.resumption_token(body, token, cursor=state.cursor, total=total, expires=expires)
    return root


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def list_identifiers(ex: Exchange) -> etree._Element:
    return _list(ex, with_metadata=False)


def list_records(ex: Exchange) -> etree._Element:
    return _list(ex, with_metadata=True)


HANDLERS: dict[str, Callable[[Exchange], etree._Element]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}
