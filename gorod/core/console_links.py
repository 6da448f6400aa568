"""Links on the operator console only to pages the viewer may open.

Django's admin links a read-only foreign key to the related object's change page, and puts a
lookup icon next to a raw-id box leading to the related list, without asking whether the viewer
may open either: a moderator saw a comment's discussion as a link that answered 403, a building
administrator a resident lookup that did the same. ``LinksTheViewerMayOpen`` keeps the link and
the icon for whoever may follow them and shows plain text (a plain id box) to the others.

Django builds read-only fields without the request (``helpers.AdminReadonlyField``), so the
console's form class carries it (``get_form`` makes a new class on every call) and
``ViewerReadonlyField``, installed for the admin by ``CoreConfig.ready``, asks it. A form without
a request (an admin without the mixin) keeps Django's behaviour.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import helpers
from django.db import models
from django.http import HttpRequest


def may_open(admin_site: Any, request: HttpRequest, model: type[models.Model], pk: Any = None) -> bool:
    """Whether the viewer may open the model's list (no pk) or this row's page on the console."""
    remote_admin = admin_site._registry.get(model)
    if remote_admin is None:
        return False
    if pk is None:
        return bool(remote_admin.has_view_or_change_permission(request))
    obj = remote_admin.get_queryset(request).filter(pk=pk).first()
    return obj is not None and bool(remote_admin.has_view_or_change_permission(request, obj))


class ViewerReadonlyField(helpers.AdminReadonlyField):
    def get_admin_url(self, remote_field: Any, remote_obj: Any) -> str:
        request = getattr(self.form, "console_request", None)
        model_admin: Any = self.model_admin
        if request is not None and not may_open(
            model_admin.admin_site, request, remote_field.model, remote_obj.pk
        ):
            return str(remote_obj)
        return str(super().get_admin_url(remote_field, remote_obj))  # type: ignore[misc]


class LinksTheViewerMayOpen:
    """Mix into a ModelAdmin whose viewers may lack access to the models it points at."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        form.console_request = request
        return form

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # The raw-id box keeps its lookup icon only for a viewer who may open the related list.
        model_admin: Any = self  # a ModelAdmin: the mixin comes first in its bases
        if db_field.name in model_admin.raw_id_fields and not may_open(
            model_admin.admin_site, request, db_field.remote_field.model
        ):
            kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "size": 10}))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


def install() -> None:
    helpers.AdminReadonlyField = ViewerReadonlyField  # type: ignore[misc]
