"""Development only: a receiver the demo endpoint points at, so `make run` shows deliveries
succeed. It takes any event and answers 204; anywhere else it does not exist."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from portal.access import public

DEV_RECEIVER_PATH = "/dev/webhook-receiver/"


@csrf_exempt  # a webhook receiver takes signed posts from the worker, not forms
@public
def dev_receiver(request: HttpRequest) -> HttpResponse:
    # Checked before the method, so it is not there at all outside development.
    if not settings.WEBHOOKS_DEV_RECEIVER:
        raise Http404("The webhook receiver exists only in development.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return HttpResponse(status=204)
