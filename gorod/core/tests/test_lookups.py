from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

pytestmark = pytest.mark.django_db


def test_any_matches_like_in_for_ids_and_text_and_nothing_for_an_empty_list():
    model = get_user_model()
    people = [model.objects.create(username=f"any{n}") for n in range(3)]
    ids = [p.pk for p in people[:2]]
    assert set(model.objects.filter(pk__any=ids)) == set(people[:2])
    assert set(model.objects.filter(username__any=[people[2].username, "nobody"])) == {people[2]}
    assert list(model.objects.filter(pk__any=[])) == []
    assert model.objects.filter(pk__any=ids * 2).count() == 2


def test_any_takes_the_array_literal_path_without_changing_answers():
    model = get_user_model()
    people = [model.objects.create(username=name) for name in ['a"b', "c\\d", "e,f", "{g}", "NULL", ""]]
    names = [p.username for p in people]
    assert sorted(model.objects.filter(username__any=names).values_list("username", flat=True)) == sorted(
        names
    )
    assert list(model.objects.filter(username__any=["x" * 300])) == []  # not cut to the column's length
    if connection.vendor == "postgresql":
        assert list(model.objects.filter(pk__any=[2**70])) == []  # beyond bigint: the general path
    assert model.objects.filter(pk__any=[p.pk for p in people] + [10**12]).count() == len(people)
