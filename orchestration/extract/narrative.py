"""Placeholder: replaced by the narrative extractor (work in progress in this session)."""

from __future__ import annotations

from orchestration.extract.records import DocumentExtraction
from orchestration.extract.text import Line


def extract(lines: list[Line], file_name: str, doc: DocumentExtraction) -> None:
    """Append this module's records to doc."""
