"""HTML to PDF with WeasyPrint, fetching nothing from outside: only `data:` URIs are resolved.

A report is built from names anyone can put in an inventory or a diagram; a hostile `<img src>` or
stylesheet URL must not make the PDF renderer reach the network or read local files.
"""
from __future__ import annotations

from pathlib import Path

from netops.errors import NetopsError


def write_pdf(html: str, out: Path) -> None:
    """Render `html` to `out` atomically; a renderer that is missing is one clear error."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:    # OSError: pango/cairo libraries missing
        raise NetopsError(f"PDF output needs WeasyPrint and its libraries (scripts/setup.sh installs them): {exc}") from exc
    tmp = out.with_suffix(".pdf.tmp")
    HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf(tmp)
    tmp.replace(out)
