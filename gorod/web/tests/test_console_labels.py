"""The console (Django admin at /console/) reads in Russian: every label it takes from gorod's
models and admins is translated.

The console builds its column headers, form labels, filters, list titles and action menus from
the models' ``verbose_name``s and the admins' descriptions. A field with none gets one made from
its name ("rule version", "created at"), which no catalogue translates, so a Russian console
showed English; makemessages cannot see such a label, so the catalogue check
(gorod/core/tests/test_translations.py) could not catch it. This walks what the console shows
instead: every gorod model registered on the admin site (the console is Django's default site,
mounted at /console/ in config/urls.py) and every model shown inline, with Russian active.

Third-party models on the console (auth's groups, axes' attempts, the OTP devices, the task
results) carry their own packages' catalogues and are left out.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

# Texts that read the same in Russian, each for a reason; add only a code or a term Russian
# interfaces write in Latin letters, never a word a translation is missing for.
SAME_IN_RUSSIAN = {
    "ID": "an identifier; Russian interfaces write «ID»",
    "e-mail": "the Russian catalogue writes «e-mail» throughout (sign-in, sign-up, profile)",
}


def _gorod(model: type[models.Model]) -> bool:
    return model._meta.app_config is not None and model._meta.app_config.name.startswith("gorod.")


def _console() -> dict[type[models.Model], list[BaseModelAdmin]]:
    """Each gorod model the console shows, with the admins that show it (its own and inlines)."""
    shown: dict[type[models.Model], list[BaseModelAdmin]] = {}
    for model, model_admin in admin.site._registry.items():
        if not _gorod(model):
            continue
        shown.setdefault(model, []).append(model_admin)
        for inline in model_admin.inlines:
            shown.setdefault(inline.model, []).append(inline(model, admin.site))
    return shown


def _untranslated(text: object) -> str | None:
    """Why ``text`` would not read in Russian, or None when it does."""
    if not isinstance(text, Promise):
        return f"{text!r} is not marked for translation"
    with translation.override("en"):
        english = str(text)
    with translation.override("ru"):
        russian = str(text)
    if russian == english and english not in SAME_IN_RUSSIAN:
        return f"{english!r} has no Russian translation"
    return None


def _is_field(model: type[models.Model], column: object) -> bool:
    if not isinstance(column, str):
        return False
    try:
        model._meta.get_field(column)
    except FieldDoesNotExist:
        return False
    return True


CONSOLE = _console()
MODELS = sorted(CONSOLE, key=lambda m: m._meta.label)


def test_the_console_shows_gorod_models():
    assert len(MODELS) > 50, "the walk found the console's models"


def label_problems(model: type[models.Model]) -> list[str]:
    """The model's names and field labels that would not read in Russian."""
    opts = model._meta
    problems = []
    for attr in ("verbose_name", "verbose_name_plural"):
        if why := _untranslated(getattr(opts, attr)):
            problems.append(f"Meta.{attr}: {why}")
    with translation.override("ru"):
        if str(opts.verbose_name) == str(opts.verbose_name_plural):
            problems.append(f"Meta.verbose_name_plural is the singular in Russian: {opts.verbose_name!s}")
    for field in opts.get_fields():
        # Django's own primary key is labelled "ID", which reads the same in Russian
        if not field.concrete or (field.auto_created and field.primary_key):
            continue
        if why := _untranslated(field.verbose_name):
            problems.append(f"{field.name}: {why}")
    return problems


def action_problems(model: type[models.Model]) -> list[str]:
    """The actions and computed columns of the model's admins that would not read in Russian."""

    problems = []
    for model_admin in CONSOLE[model]:
        if isinstance(model_admin, admin.ModelAdmin):
            for _func, name, description in model_admin._get_base_actions():
                if why := _untranslated(description):
                    problems.append(f"action {name}: {why}")
        for column in getattr(model_admin, "list_display", ()):
            if column == "__str__" or _is_field(model, column):
                continue  # the row itself, or a field (checked above)
            if callable(column):
                shown = column
            else:
                shown = getattr(model_admin, column, None) or getattr(model, column)
            if why := _untranslated(getattr(shown, "short_description", None)):
                problems.append(f"column {getattr(shown, '__name__', column)}: {why}")
    return problems


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_model_names_and_field_labels_are_translated(model):
    problems = label_problems(model)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_actions_and_columns_are_translated(model):
    problems = action_problems(model)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_model_reads_as_itself_not_as_object_n(model):
    """The console names a row by its ``__str__`` (titles, breadcrumbs, deletes, the log)."""
    assert model.__str__ is not models.Model.__str__, f"{model._meta.label} shows as 'X object (n)'"
