from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gorod.accounts.consent import CONSENT_TEXT
from gorod.accounts.models import District
from gorod.accounts.services import language_of


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Login, e-mail or phone"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    # Django's own text names the model's "username" field, yet the box takes a login, an
    # e-mail or a phone: the refusal speaks of what the resident typed.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "No account matches this login, e-mail or phone with this password. Check both; "
            "the password is case-sensitive."
        ),
    }


class ResidentPasswordResetForm(PasswordResetForm):
    """Django's reset e-mail, written in the account holder's language (``language_of``), not in
    that of whoever typed the address into the form."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        with translation.override(language_of(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SignUpForm(forms.Form):
    username = forms.SlugField(label=_("Login"), max_length=60)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False, help_text=_("+7 and 10 digits"))
    home_district = forms.ModelChoiceField(
        label=_("Home district"), queryset=District.objects.order_by("name"), required=False
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"),
        help_text=CONSENT_TEXT,
        error_messages={
            "required": _("An account needs your consent to the processing of your personal data.")
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(_("Give an e-mail or a phone number so we can reach you."))
        if data.get("password"):
            try:
                password_validation.validate_password(data["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    home_district = forms.ModelChoiceField(
        label=_("Home district"), queryset=District.objects.order_by("name"), required=False
    )
    consents_to_notifications = forms.BooleanField(label=_("Send me notifications"), required=False)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80)


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"),
        error_messages={
            "required": _("An account needs your consent to the processing of your personal data.")
        },
    )
