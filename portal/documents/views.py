"""Downloads. Uploading and removing happen on the owning domain's pages (the form engine's
file question), which call the services."""

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from portal.access import requires
from portal.documents import services
from portal.documents.access import REQUEST_ATTRIBUTE
from portal.documents.errors import DocumentRefused
from portal.documents.models import Document


@requires("download_document")
@require_safe
def download(request: HttpRequest, document_id: object) -> HttpResponseBase:
    """The file, as an attachment with its detected type; or, on object storage, a redirect
    to a signed URL valid for a minute. A file not checked clean gets a page saying why."""
    document: Document = getattr(request, REQUEST_ATTRIBUTE)
    try:
        prepared = services.open_download(
            document=document, principal=request.user, request=request
        )
    except DocumentRefused as refused:
        return render(
            request,
            "documents/not_available.html",
            {"document": document, "message": refused.message, "code": str(refused.code)},
            status=409,
        )
    if prepared.url:
        response: HttpResponse = redirect(prepared.url)
        response["Cache-Control"] = "no-store"
        return response
    assert prepared.file is not None
    streamed = FileResponse(
        prepared.file,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    streamed["Content-Length"] = str(document.size)
    streamed["X-Content-Type-Options"] = "nosniff"
    streamed["Cache-Control"] = "private, no-store"
    return streamed
