"""The claims table's word-for-word check: per claim, whether its quote was verified
against the archived text of its source, and against which copy.

Two columns are added to the ``claims`` table, computed at build time from the archive
of source texts (:mod:`conflictdata.validation.quotes`), never curated:

- ``quote_verified``: true when the quote occurs word for word in the archived text,
  false when it does not or when the source has no archived text (its record says why
  none can exist), empty when the archive was not available to the build;
- ``quote_archive_sha256``: the SHA-256 of the archived text it was checked against,
  empty when there was none.
"""

from __future__ import annotations

from collections.abc import Callable

from conflictdata.publish.tabletypes import Column
from conflictdata.validation.quotes import Archive

VERIFIED = "quote_verified"
SHA256 = "quote_archive_sha256"


def columns() -> list[Column]:
    """The computed columns of the claims table (their path starts with ``=``)."""
    return [
        Column(
            VERIFIED,
            ("=", VERIFIED),
            "boolean",
            "Computed at build time: true when the quote occurs word for word (up to "
            "whitespace and typographic quotes) in the archived text of its source; false "
            "when it does not, or when no text of the source can be archived; empty when "
            "the archive was not available to the build.",
            False,
        ),
        Column(
            SHA256,
            ("=", SHA256),
            "string",
            "Computed at build time: the SHA-256 of the archived text the quote was checked "
            "against; empty when there was none.",
            False,
            {"pattern": "[0-9a-f]{64}"},
        ),
    ]


def computed(archive: Archive | None) -> dict[str, Callable[[dict], object]]:
    """Functions from a claim (JSON data) to each computed column's value."""
    if archive is None or not archive.available:
        return {}
    last: list = [None, (None, None)]

    def verdict(claim: dict):
        if last[0] is not claim:
            last[0] = claim
            last[1] = archive.verdict(claim["source"], claim["quote"])
        return last[1]

    return {VERIFIED: lambda c: verdict(c)[0], SHA256: lambda c: verdict(c)[1]}
