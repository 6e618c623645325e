"""DOIs: minted locally from a prefix and a pattern, or kept from outside (external DOIs)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from callimachus.core.errors import FieldError, ValidationError

# DOI syntax as DataCite and Crossref accept it: 10.<registrant>/<suffix of printable characters>.
_DOI = re.compile(r"^10\.\d{4,9}(\.\d+)*/\S+$")
_RESOLVER = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)


def normalize_doi(value: str) -> str:
    """Strip a resolver prefix and whitespace; raise ``ValueError`` when it is not a DOI."""
    doi = _RESOLVER.sub("", value.strip())
    if not _DOI.match(doi):
        raise ValueError(f"'{value}' is not a valid DOI (expected 10.<prefix>/<suffix>).")
    return doi


def doi_key(doi: str) -> str:
    """DOIs are case-insensitive: this is the form uniqueness is checked on."""
    return doi.lower()


@dataclass(frozen=True)
class LocalDOIProvider:
    """Mints ``{prefix}/callimachus.{recid}``-style DOIs without an external registration agency.

    The default prefix 10.5072 is DataCite's test prefix: such DOIs do not resolve at doi.org, but
    ``/doi/<doi>`` on this instance redirects to the landing page.
    """

    prefix: str
    pattern: str = "{prefix}/callimachus.{recid}"

    def mint(self, recid: int) -> str:
        return self.pattern.format(prefix=self.prefix, recid=recid)

    def is_local(self, doi: str) -> bool:
        return doi_key(doi).startswith(doi_key(self.prefix) + "/")

    def check_external(self, value: str, field: str = "pids.doi.identifier") -> str:
        """Validate a DOI a depositor brings with them; our own prefix is ours to mint."""
        try:
            doi = normalize_doi(value)
        except ValueError as exc:
            raise ValidationError([FieldError(field, [str(exc)])]) from exc
        if self.is_local(doi):
            raise ValidationError(
                [FieldError(field, [f"The prefix {self.prefix} is administrated locally."])]
            )
        return doi
