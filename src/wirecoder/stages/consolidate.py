"""Stage 6, ``consolidate``: placeholder."""
from __future__ import annotations

from ..records import Document
from ..settings import Settings


class Consolidator:
    requires: tuple[str, ...] = ("events",)
    assigns: tuple[str, ...] = ("events",)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def __call__(self, document: Document) -> Document:
        return document
