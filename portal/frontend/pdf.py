"""Generated documents (notices, certificates) as tagged, accessible PDF.

A document is one Jinja template, rendered as a web page (it extends
"layouts/document.html", which is an ordinary page) or, here, as the PDF: the same template
with `for_pdf` set, so the layout becomes a bare printable document. WeasyPrint writes
PDF/UA-1 (tagged structure, document language and title), and fetches nothing: a generated
document never reads a file or a URL, whatever its text contains.
"""

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from portal.frontend.context_processors import service_contacts

PDF_VARIANT = "pdf/ua-1"

# WeasyPrint (and Debian's pango under it) is loaded on the first document, not when the
# portal starts: every page but a document's works even on a machine still missing pango.


def fetch_nothing() -> Any:
    """A fetcher that allows no protocol at all (not file:, http: nor data:)."""
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    return URLFetcher(allowed_protocols=frozenset(), allow_redirects=False, timeout=1)


def document_context() -> dict[str, Any]:
    """What every document's layout needs (no request: documents are also made by tasks)."""
    return {**service_contacts(), "generated_at": timezone.now()}


def render_document_html(template_name: str, context: Mapping[str, Any]) -> str:
    return render_to_string(template_name, {**document_context(), **context, "for_pdf": True})


def render_pdf(template_name: str, context: Mapping[str, Any]) -> bytes:
    """The document `template_name` renders for `context`, as tagged PDF bytes."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_document_html(template_name, context)
    document = HTML(string=html, url_fetcher=fetch_nothing(), base_url="about:blank")
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def pdf_response_headers(filename: str) -> dict[str, str]:
    """Headers for a PDF download named `filename` (letters, digits, dot, dash only)."""
    safe = "".join(c for c in filename if c.isalnum() or c in ".-_") or "document.pdf"
    return {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'attachment; filename="{safe}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
