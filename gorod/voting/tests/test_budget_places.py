# ruff: noqa: F811  (the fixtures imported from test_budgets are parameters here)
"""A budget project's place and image (issue 27): set by an operator from the city's address
register or a point on the map, with the image under the one upload policy, through the service,
the API (multipart) and the page; every refusal (not an image, a file sent as text, the wrong
phase, not an operator, an unknown address, a point outside the city) writes nothing, no row and
no file. The place shows on the round page, on the ballot and, once funded, on the decision."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from gorod.accounts import services as accounts_services
from gorod.accounts.models import Address
from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.errors import PermissionDenied
from gorod.core.images import NotAnImage
from gorod.voting.budgets import errors, services
from gorod.voting.budgets.models import BudgetProject
from gorod.voting.models import Decision

from .test_budgets import _answer, _to_voting, budget_round, district  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # the camera's make: must not reach the disk
    Image.new("RGB", (64, 48), (120, 160, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def address(district):
    return Address.objects.create(
        text="Arbat St, 10", district=district, latitude=Decimal("55.751244"), longitude=Decimal("37.594727")
    )


def _api(user) -> Client:
    _token, plain = accounts_services.api_token_issue(resident=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def _project(budget_round, title="Playground") -> BudgetProject:
    return budget_round.projects.get(title=title)


def test_the_place_is_an_address_of_the_register_or_a_point(operator, budget_round, address):
    project = _project(budget_round)
    services.project_place_set(project_id=project.pk, actor=operator, address_id=address.pk)
    project.refresh_from_db()
    assert project.address_id == address.pk
    assert project.location == {"type": "Point", "coordinates": [37.594727, 55.751244]}
    services.project_place_set(
        project_id=project.pk, actor=operator, latitude=Decimal("55.7601"), longitude=Decimal("37.6189")
    )
    project.refresh_from_db()
    assert project.address_id is None and project.location["coordinates"] == [37.6189, 55.7601]


def test_the_image_is_cleaned_and_replaces_the_previous_one(
    operator,
    budget_round,
    django_capture_on_commit_callbacks,
):
    project = _project(budget_round)
    services.project_place_set(project_id=project.pk, actor=operator, image=_jpeg())
    project.refresh_from_db()
    first = Path(project.image.path)
    assert first.exists() and b"TestCam" not in first.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        services.project_place_set(project_id=project.pk, actor=operator, image=_jpeg())
    project.refresh_from_db()
    assert Path(project.image.path).exists() and not first.exists()
    assert _stored_files() == [Path(project.image.path)]


def test_refusals_write_nothing(operator, budget_round, address):
    project = _project(budget_round)
    cases = [
        (NotAnImage, {"address_id": address.pk, "image": b"not an image at all"}),
        (errors.AddressUnknown, {"address_id": 999_999, "image": _jpeg()}),
        (errors.PlaceIncomplete, {"latitude": Decimal("55.75"), "image": _jpeg()}),
        (errors.NothingToChange, {}),
    ]
    from gorod.voting.errors import GeometryInvalid

    cases.append((GeometryInvalid, {"latitude": Decimal("59.93"), "longitude": Decimal("30.31")}))
    for refusal, kwargs in cases:
        with pytest.raises(refusal):
            services.project_place_set(project_id=project.pk, actor=operator, **kwargs)
    with pytest.raises(PermissionDenied):
        services.project_place_set(project_id=project.pk, actor=ResidentFactory(), address_id=address.pk)
    project.refresh_from_db()
    assert project.address_id is None and project.location is None and not project.image
    assert _stored_files() == []


def test_the_api_sets_and_reads_the_place_and_refuses_with_nothing_written(
    operator,
    budget_round,
    address,
):
    project = _project(budget_round)
    url = f"/api/v1/budgets/projects/{project.pk}/place"
    client = _api(operator)
    # not an image: 415, nothing stored
    refused = client.post(url, {"address_id": address.pk, "image": io.BytesIO(b"GIF89a nope")})
    assert refused.status_code == 415 and refused.json()["code"] == "not_an_image"
    # a file field sent as text: 422 naming the field
    refused = client.post(url, {"address_id": address.pk, "image": "abc"})
    assert refused.status_code == 422 and "image" in str(refused.json())
    refused = client.post(url, {"address_id": 999_999})
    assert refused.status_code == 422 and refused.json()["code"] == "address_unknown"
    # not an operator: refused before the body is read
    refused = _api(ResidentFactory()).post(url, {"address_id": address.pk})
    assert refused.status_code == 403
    project.refresh_from_db()
    assert project.address_id is None and not project.image and _stored_files() == []
    # an operator's place and image
    image = io.BytesIO(_jpeg())
    image.name = "playground.jpg"
    done = client.post(url, {"address_id": address.pk, "image": image})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["address_id"] == address.pk and body["address"] == "Arbat St, 10"
    assert body["location"] == {"type": "Point", "coordinates": [37.594727, 55.751244]}
    assert body["image"].startswith(settings.MEDIA_URL) and body["image"].endswith(".jpg")
    read = Client().get(f"/api/v1/budgets/{budget_round.pk}").json()
    (shown,) = [p for p in read["projects"] if p["id"] == project.pk]
    assert shown["address"] == "Arbat St, 10" and shown["image"] == body["image"]
    # a point picked on the map
    done = client.post(url, {"latitude": "55.7601", "longitude": "37.6189"})
    assert done.status_code == 200 and done.json()["address_id"] is None
    assert done.json()["location"]["coordinates"] == [37.6189, 55.7601]


def test_once_voting_starts_the_place_is_fixed_and_shown_to_voters_and_on_the_decision(
    operator,
    budget_round,
    address,
    district,
):
    for title in ("Playground", "Racks"):
        services.project_place_set(
            project_id=_project(budget_round, title).pk, actor=operator, address_id=address.pk
        )
    budget_round = _to_voting(budget_round, operator)
    project = _project(budget_round)
    refused = _api(operator).post(
        f"/api/v1/budgets/projects/{project.pk}/place", {"latitude": "55.76", "longitude": "37.61"}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "budget_phase_wrong"
    with pytest.raises(errors.PhaseWrong):
        services.project_place_set(project_id=project.pk, actor=operator, image=_jpeg())
    project.refresh_from_db()
    assert project.address_id == address.pk and not project.image and _stored_files() == []
    # the ballot shows where each project is
    voter = ResidentFactory(home_district=district)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(voter)
    ballot = client.get(f"/voting/polls/{budget_round.poll_id}/").content.decode()
    assert ballot.count('data-testid="ballot-place"') == 2 and "Arbat St, 10" in ballot
    assert "data-place-map" in ballot and "FeatureCollection" in ballot.replace("&quot;", '"')
    # funded: the decision keeps the place for the decisions map
    from gorod.voting import services as poll_services

    poll_services.ballot_cast(
        poll_id=budget_round.poll_id, resident=voter, answers=_answer(budget_round, "Playground")
    )
    services.round_advance(round_id=budget_round.pk, actor=operator)
    services.round_advance(round_id=budget_round.pk, actor=operator)
    project.refresh_from_db()
    assert Decision.objects.get(pk=project.decision_id).location == project.location
    geojson = Client().get("/api/v1/decisions").json()
    assert any(f["geometry"] == project.location for f in geojson["features"])


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_place_page_in_both_languages(lang, operator, budget_round, address):
    project = _project(budget_round)
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(operator)
    page = client.get(f"/voting/budgets/projects/{project.pk}/place/").content.decode()
    assert {"ru": "Место и изображение", "en": "Place and image"}[lang] in page
    assert "data-place-pick" in page and 'name="address_id"' in page
    # without JavaScript the typed address is enough when it names one address of the register
    image = io.BytesIO(_jpeg())
    image.name = "p.jpg"
    done = client.post(
        f"/voting/budgets/projects/{project.pk}/place/",
        {"address": "Arbat St, 10", "address_id": "", "latitude": "", "longitude": "", "image": image},
    )
    assert done.status_code == 302
    project.refresh_from_db()
    assert project.address_id == address.pk and project.image
    detail = client.get(f"/voting/budgets/{budget_round.pk}/").content.decode()
    assert 'data-testid="project-place"' in detail and 'data-testid="project-image"' in detail
    assert {"ru": "Где проекты", "en": "Where the projects are"}[lang] in detail
    # an address the register does not know: the page says so, nothing changes
    refused = client.post(f"/voting/budgets/projects/{project.pk}/place/", {"address": "Nowhere lane"})
    assert refused.status_code == 422
    assert {"ru": "Выберите адрес", "en": "Choose the address"}[lang] in refused.content.decode()
    # a resident gets nothing of it
    resident = Client()
    resident.force_login(ResidentFactory())
    assert resident.get(f"/voting/budgets/projects/{project.pk}/place/").status_code == 404


def test_the_address_suggestions_fragment(address):
    page = Client().get("/accounts/addresses/", {"q": "arbat"}).content.decode()
    assert f'data-id="{address.pk}"' in page and 'data-lat="55.751244"' in page
    assert "data-id" not in Client().get("/accounts/addresses/", {"q": "a"}).content.decode()
