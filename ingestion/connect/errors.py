"""The one error an import reports: an export or a mapping it cannot use."""

from __future__ import annotations


class ConnectImportError(Exception):
    """Raised before anything is written: the landing folder and the record store are unchanged."""
