"""Error reports (the debug page, the admins' error emails) never show a credential."""

from __future__ import annotations

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

# user:password@ in any URL-like value: DATABASE_URL, REDIS_URL, SMTP_URL, CACHES' LOCATION, the broker.
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<password>[^@\s]+)@", re.I)


class CredentialMaskingFilter(SafeExceptionReporterFilter):
    """Django's filter hides settings named like secrets; a password inside a URL slips past it."""

    cleansed_substitute = "********************"

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str):
            return _URL_CREDENTIALS.sub(rf"\g<scheme>\g<user>:{self.cleansed_substitute}@", cleansed)
        return cleansed
