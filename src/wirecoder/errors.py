"""The tree of wirecoder's errors. Inside the library we raise these; the CLI translates
them at its edge into one JSON error line (``ErrorRecord``) or a ``click`` message.

    WirecoderError
    ├── InputError        one input item cannot be read or parsed (names the item and why)
    ├── ConfigError       a settings file or override is invalid (names the key and choices)
    ├── ResourceError     a packaged model or data file is missing or broken
    ├── StoreError        the SQLite store cannot be opened, migrated or written
    ├── OutputError       an export's output file cannot be written (names the path and why)
    ├── FilterError       an export filter names no known country, type or actor (with close matches)
    ├── ReviewError       an analyst's change is refused (names the event, the field and why)
    └── EvalDataError     an evaluation set is absent or malformed
"""

from __future__ import annotations

# Exit statuses of every command (documented in the README):
EXIT_OK = 0          # everything was done
EXIT_ITEMS_FAILED = 1  # some items failed: one JSON error line each on stderr, then a summary
EXIT_USAGE = 2       # usage or configuration error (bad option, settings, store, missing model)
EXIT_INTERNAL = 70   # a bug in wirecoder (sysexits' EX_SOFTWARE); what was done is kept
EXIT_INTERRUPTED = 130  # stopped by Ctrl-C; a rerun completes the work


class WirecoderError(Exception):
    """Root of every error wirecoder raises on purpose."""


class InputError(WirecoderError):
    """An input item (file, archive member, feed entry, JSON line) could not be processed.

    ``item`` names the item as the user would find it (``path``, ``path:line``,
    ``path#entry``); ``reason`` says what is wrong with it.
    """

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason


class ConfigError(WirecoderError):
    """Invalid settings: unknown key, wrong type, unreadable file."""


class ResourceError(WirecoderError):
    """A packaged resource (spaCy model, gazetteer, codebook) is missing or broken."""


class StoreError(WirecoderError):
    """The store cannot be opened, migrated, read or written."""


class OutputError(WirecoderError):
    """An export's output file cannot be written (names the path and why)."""


class FilterError(WirecoderError):
    """A filter value names nothing that exists (``--country Sirya``): says which, and the
    close matches."""


class ReviewError(WirecoderError):
    """An analyst's change is refused: an unknown event, a field that cannot be edited,
    a bad value, a merge or split that makes no sense (the message says which and why)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status the API answers with: 400, 404 or 409


class EvalDataError(WirecoderError):
    """An evaluation set is missing or does not have the expected shape."""
