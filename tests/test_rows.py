"""gorod.core.db.rows builds from a hand-written SELECT the same instance the ORM would."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import signals

from gorod.accounts.models import ApiToken, Resident
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.db import rows
from gorod.voting.models import Poll
from gorod.voting.tests.conftest import make_poll

pytestmark = pytest.mark.django_db


def _read(model, pk):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {rows.columns(model, 'x')} FROM {table} x WHERE x.id = %s", [pk])
        return cursor.fetchone()


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.parametrize("model", [Resident, ApiToken, Poll])
def test_the_instance_is_the_orms(model):
    resident = ResidentFactory(level="standard")
    pk = {
        Resident: lambda: resident.pk,
        ApiToken: lambda: (
            ApiToken.objects.create(resident=resident, name="t", prefix="p", digest="d" * 64).pk
        ),
        Poll: lambda: make_poll().pk,
    }[model]()
    built = rows.from_row(model, _read(model, pk))
    expected = model.objects.get(pk=pk)
    assert type(built) is model and built == expected
    assert _fields(built) == _fields(expected)
    assert not built._state.adding and built._state.db == expected._state.db
    built.save()  # an update of the existing row, as for an ORM instance
    assert model.objects.filter(pk=pk).count() == 1


def test_a_model_someone_listens_to_is_built_through_its_init():
    resident = ResidentFactory()
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    signals.post_init.connect(listener, sender=Resident)
    try:
        built = rows.from_row(Resident, _read(Resident, resident.pk))
    finally:
        signals.post_init.disconnect(listener, sender=Resident)
    assert seen == [resident.pk] and _fields(built) == _fields(Resident.objects.get(pk=resident.pk))


def test_a_row_of_the_wrong_width_is_refused():
    resident = ResidentFactory()
    with pytest.raises(ValueError):
        rows.from_row(Resident, _read(Resident, resident.pk)[:-1])
