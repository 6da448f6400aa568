"""Forms of the building's board: a resident's announcement and an administrator's official one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))


class OfficialAnnouncementForm(AnnouncementForm):
    emergency = forms.BooleanField(label=_("Emergency: pin on top and notify every resident"), required=False)
