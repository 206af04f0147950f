"""The signup page's form: allauth's own, with the three consents as checkboxes a person ticks.

The API takes each consent as an explicit JSON ``true`` (``accounts.forms.SignupConsentForm``);
on a page, an unticked box sends nothing and a ticked one sends "on". Ticking is the explicit act
here, so the fields are required checkboxes with the same refusals; recording the consents is the
API form's own ``signup()``, inherited.
"""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.forms import CONSENT_REQUIRED


def _guidelines_label() -> str:
    return format_html(
        'I have read and accept the <a href="{}">community guidelines</a>.', reverse_lazy("web:guidelines")
    )


class SignupForm(AllauthSignupForm):
    accept_guidelines = forms.BooleanField(
        required=True,
        label=lazy(_guidelines_label, SafeString)(),
        error_messages={"required": CONSENT_REQUIRED["accept_guidelines"]},
    )
    health_data_consent = forms.BooleanField(
        required=True,
        label=(
            "I agree that Support Circle stores what I share about my health (posts, my condition if I add it) "
            "to run this community. I can withdraw this consent and erase my account at any time."
        ),
        error_messages={"required": CONSENT_REQUIRED["health_data_consent"]},
    )
    age_confirmed = forms.BooleanField(
        required=True,
        label="I am 16 or older.",
        error_messages={"required": CONSENT_REQUIRED["age_confirmed"]},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["email", "username", "password1", *CONSENT_REQUIRED])
        for field in self.fields.values():
            # The labels say it: a placeholder repeating them only disappears as people type.
            field.widget.attrs.pop("placeholder", None)
        self.fields["username"].label = "Pseudonym"
        self.fields[
            "username"
        ].help_text = "The name others see. Please do not use your real name: this is a health community."
