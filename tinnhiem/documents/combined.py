"""The combined report (tinnhiem.combine) as XLSX and PDF."""

from __future__ import annotations

from tinnhiem.combine import Combined


def combined_xlsx(combined: Combined) -> bytes:
    raise NotImplementedError


def combined_pdf(combined: Combined) -> bytes:
    raise NotImplementedError
