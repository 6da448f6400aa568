from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def test_any_matches_like_in_for_ids_and_text_and_nothing_for_an_empty_list():
    model = get_user_model()
    people = [model.objects.create(username=f"any{n}") for n in range(3)]
    ids = [p.pk for p in people[:2]]
    assert set(model.objects.filter(pk__any=ids)) == set(people[:2])
    assert set(model.objects.filter(username__any=[people[2].username, "nobody"])) == {people[2]}
    assert list(model.objects.filter(pk__any=[])) == []
    assert model.objects.filter(pk__any=ids * 2).count() == 2
