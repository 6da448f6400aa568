"""Content fields (gorod.core.content), on districts: seed text reads in the active language and
is stored as its source."""

from __future__ import annotations

import pytest
from django.utils import translation

from gorod.accounts.models import District, Okrug

pytestmark = pytest.mark.django_db


@pytest.fixture
def arbat(db):
    okrug = Okrug.objects.create(code="cao-t", name="Central Administrative Okrug")
    return District.objects.create(code="arbat-t", name="Arbat", okrug=okrug)


def test_seed_text_reads_in_the_readers_language(arbat):
    with translation.override("ru"):
        assert District.objects.get(pk=arbat.pk).name == "Арбат"
        assert list(District.objects.filter(pk=arbat.pk).values_list("name", flat=True)) == ["Арбат"]
    with translation.override("en"):
        assert District.objects.get(pk=arbat.pk).name == "Arbat"


def test_text_nobody_translated_shows_as_written(arbat):
    District.objects.filter(pk=arbat.pk).update(name="Новые Черёмушки")
    with translation.override("en"):
        assert District.objects.get(pk=arbat.pk).name == "Новые Черёмушки"


def test_a_value_read_in_russian_and_saved_back_keeps_its_source(arbat):
    with translation.override("ru"):
        district = District.objects.get(pk=arbat.pk)
        district.save()
        assert District.objects.filter(name="Арбат").exists()  # a lookup by the shown text works
    assert District.objects.filter(pk=arbat.pk, name="Arbat").exists()
    with translation.override("en"):
        assert District.objects.get(pk=arbat.pk).name == "Arbat"


def test_text_put_together_from_seed_paragraphs_is_translated_by_paragraph(arbat):
    District.objects.filter(pk=arbat.pk).update(name="Arbat\n\nTverskoy")
    with translation.override("ru"):
        assert District.objects.get(pk=arbat.pk).name == "Арбат\n\nТверской"


def test_a_list_of_seed_texts_is_translated_only_when_every_part_is_seed_text(arbat):
    District.objects.filter(pk=arbat.pk).update(name="Arbat, Tverskoy")
    with translation.override("ru"):
        assert District.objects.get(pk=arbat.pk).name == "Арбат, Тверской"
    District.objects.filter(pk=arbat.pk).update(name="Arbat, my street")
    with translation.override("ru"):
        assert District.objects.get(pk=arbat.pk).name == "Arbat, my street"
