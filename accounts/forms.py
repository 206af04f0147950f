from django import forms
from django.http import HttpRequest

from accounts.models import User
from accounts.services import record_signup_consents

CONSENT_REQUIRED = {
    "accept_guidelines": "You must accept the community guidelines to join.",
    "health_data_consent": "You must consent to the processing of health-related data to join.",
    "age_confirmed": "You must confirm that you are 16 or older to join.",
}


class ConsentField(forms.BooleanField):
    """True only for an explicit JSON ``true``: "no", "yes", 1 or a missing value are not consent."""

    # A checkbox widget would turn any non-empty string into True before the
    # field sees it; read the raw JSON value instead.
    widget = forms.HiddenInput

    def to_python(self, value: object) -> bool:
        return value is True


class SignupConsentForm(forms.Form):
    """Extra signup fields, merged by allauth into its (headless) signup input.

    Each must be true: a missing or false value is a ``required`` error on
    that field, which allauth answers as a 400 naming it.
    """

    accept_guidelines = ConsentField(required=True, error_messages={"required": CONSENT_REQUIRED["accept_guidelines"]})
    health_data_consent = ConsentField(
        required=True, error_messages={"required": CONSENT_REQUIRED["health_data_consent"]}
    )
    age_confirmed = ConsentField(required=True, error_messages={"required": CONSENT_REQUIRED["age_confirmed"]})

    def signup(self, request: HttpRequest, user: User) -> None:
        record_signup_consents(actor=user)
