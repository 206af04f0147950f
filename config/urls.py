from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from community.unsubscribe import digest_unsubscribe
from config.converters import IdConverter
from config.health import healthz

register_converter(IdConverter, "id")

api_v1 = [
    path("", include("privacy.urls")),
    path("", include("accounts.urls")),
    path("", include("community.urls")),
    path("", include("moderation.urls")),
]

# The API explorers (Swagger UI, Redoc) run inline scripts and styles of their own and contain no member
# content: they get a policy of their own; every other response gets the strict SECURE_CSP.
API_DOCS_CSP: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("digest/unsubscribe/<str:token>/", digest_unsubscribe, name="digest-unsubscribe"),
    path("admin/", admin.site.urls),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", csp_override(API_DOCS_CSP)(SpectacularSwaggerView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", csp_override(API_DOCS_CSP)(SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
    path("accounts/", include("allauth.urls")),
    path("", include("web.urls")),
]

if settings.BENCH_FLOOR:  # benchmark floor endpoints (bench/floor.py); off unless BENCH_FLOOR is set
    urlpatterns += [path("bench/floor/", include("bench.floor"))]

handler400 = "config.api_errors.bad_request"
handler403 = "config.api_errors.permission_denied"
handler404 = "config.api_errors.page_not_found"
handler500 = "config.api_errors.server_error"
