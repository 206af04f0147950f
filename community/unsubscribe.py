"""One-click unsubscribe from digests (RFC 8058): no login, no cookies, no CSRF token."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import Profile
from community.digests import unsubscribe


@csrf_exempt  # mail clients POST here without a session; the unguessable token is the credential
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        if unsubscribe(token=token) is None:
            raise Http404
        response = render(request, "digests/unsubscribe.html", {"done": True})
    else:
        # GET only shows the question: link scanners that follow links must not unsubscribe anyone.
        if not Profile.objects.filter(unsubscribe_token=token).exists():
            raise Http404
        response = render(request, "digests/unsubscribe.html", {"done": False})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
