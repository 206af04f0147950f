from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from django.http import HttpRequest
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth's ``X-Session-Token`` authentication, answering 401 rather than 403.

    DRF turns "not authenticated" into a 401 only when the first authenticator
    names a ``WWW-Authenticate`` challenge; allauth's class does not.
    """

    def authenticate_header(self, request: HttpRequest) -> str:
        return 'Session-Token header="X-Session-Token"'


class SessionTokenScheme(OpenApiAuthenticationExtension):
    target_class = SessionTokenAuthentication
    name = "sessionToken"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "X-Session-Token"}
