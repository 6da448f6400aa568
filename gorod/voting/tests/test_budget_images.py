# ruff: noqa: F811  (the fixtures imported from test_budgets are parameters here)
"""A budget project's gallery (issue 27): up to six images beside its cover, added and removed by
an operator until voting starts, through the service, the API (multipart; DELETE) and the place
page. Every refusal (the seventh image, the wrong phase, not an operator, not an image, a file
sent as text) writes nothing, no row and no file. The round page and the ballot show the gallery."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client

from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.errors import PermissionDenied
from gorod.core.images import NotAnImage
from gorod.voting.budgets import errors, rules, services
from gorod.voting.budgets.models import BudgetProjectImage

from .test_budget_places import _api, _jpeg, _project, _stored_files
from .test_budgets import _to_voting, budget_round, district  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _upload() -> io.BytesIO:
    image = io.BytesIO(_jpeg())
    image.name = "shot.jpg"
    return image


def test_six_images_are_added_in_order_and_the_seventh_is_refused(operator, budget_round):
    project = _project(budget_round)
    added = [
        services.project_image_add(project_id=project.pk, actor=operator, image=_jpeg())
        for _ in range(rules.MAX_PROJECT_IMAGES)
    ]
    assert [a.position for a in added] == list(range(rules.MAX_PROJECT_IMAGES))
    assert all(
        Path(a.image.path).exists() and b"TestCam" not in Path(a.image.path).read_bytes() for a in added
    )
    before = sorted(_stored_files())
    with pytest.raises(errors.ProjectImagesFull) as refused:
        services.project_image_add(project_id=project.pk, actor=operator, image=_jpeg())
    assert refused.value.code == "project_images_full" and refused.value.status == 409
    assert project.images.count() == rules.MAX_PROJECT_IMAGES and sorted(_stored_files()) == before


def test_refusals_write_no_row_and_no_file(operator, budget_round):
    project = _project(budget_round)
    with pytest.raises(NotAnImage):
        services.project_image_add(project_id=project.pk, actor=operator, image=b"not an image")
    with pytest.raises(PermissionDenied):
        services.project_image_add(project_id=project.pk, actor=ResidentFactory(), image=_jpeg())
    with pytest.raises(errors.ImageRequired):
        services.project_image_add(project_id=project.pk, actor=operator, image=None)
    assert not BudgetProjectImage.objects.exists() and _stored_files() == []
    budget_round = _to_voting(budget_round, operator)
    with pytest.raises(errors.PhaseWrong):
        services.project_image_add(project_id=project.pk, actor=operator, image=_jpeg())
    assert not BudgetProjectImage.objects.exists() and _stored_files() == []


def test_removing_an_image_deletes_its_row_and_then_its_file(
    operator, budget_round, django_capture_on_commit_callbacks
):
    project = _project(budget_round)
    first = services.project_image_add(project_id=project.pk, actor=operator, image=_jpeg())
    second = services.project_image_add(project_id=project.pk, actor=operator, image=_jpeg())
    with pytest.raises(PermissionDenied):
        services.project_image_remove(project_id=project.pk, image_id=first.pk, actor=ResidentFactory())
    with pytest.raises(errors.ProjectImageNotFound):
        services.project_image_remove(project_id=project.pk, image_id=10**9, actor=operator)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_image_remove(project_id=project.pk, image_id=first.pk, actor=operator)
    assert list(project.images.all()) == [second]
    assert _stored_files() == [Path(second.image.path)]


def test_the_api_adds_lists_removes_and_refuses_with_nothing_written(operator, budget_round):
    project = _project(budget_round)
    url = f"/api/v1/budgets/projects/{project.pk}/images"
    client = _api(operator)
    refused = client.post(url, {"image": io.BytesIO(b"GIF89a nope")})
    assert refused.status_code == 415 and refused.json()["code"] == "not_an_image"
    refused = client.post(url, {"image": "abc"})
    assert refused.status_code == 422 and "image" in str(refused.json())
    refused = _api(ResidentFactory()).post(url, {"image": _upload()})
    assert refused.status_code == 403
    assert not BudgetProjectImage.objects.exists() and _stored_files() == []
    for _ in range(rules.MAX_PROJECT_IMAGES):
        done = client.post(url, {"image": _upload()})
        assert done.status_code == 201, done.content
    refused = client.post(url, {"image": _upload()})
    assert refused.status_code == 409 and refused.json()["code"] == "project_images_full"
    assert len(_stored_files()) == rules.MAX_PROJECT_IMAGES
    read = Client().get(f"/api/v1/budgets/{budget_round.pk}").json()
    (shown,) = [p for p in read["projects"] if p["id"] == project.pk]
    assert [i["position"] for i in shown["images"]] == list(range(rules.MAX_PROJECT_IMAGES))
    assert all(i["url"].endswith(".jpg") for i in shown["images"])
    gone = client.delete(f"{url}/{shown['images'][0]['id']}")
    assert gone.status_code == 200 and len(gone.json()["images"]) == rules.MAX_PROJECT_IMAGES - 1
    assert _api(ResidentFactory()).delete(f"{url}/{shown['images'][1]['id']}").status_code == 403
    assert client.delete(f"{url}/{10**9}").status_code == 404
    _to_voting(budget_round, operator)
    refused = client.post(url, {"image": _upload()})
    assert refused.status_code == 409 and refused.json()["code"] == "budget_phase_wrong"
    refused = client.delete(f"{url}/{shown['images'][1]['id']}")
    assert refused.status_code == 409 and refused.json()["code"] == "budget_phase_wrong"
    assert project.images.count() == rules.MAX_PROJECT_IMAGES - 1


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_place_page_adds_and_removes_and_the_pages_show_the_gallery(
    lang, operator, budget_round, district
):
    project = _project(budget_round)
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(operator)
    page = client.get(f"/voting/budgets/projects/{project.pk}/place/").content.decode()
    assert 'data-testid="image-add-form"' in page
    done = client.post(f"/voting/budgets/projects/{project.pk}/images/", {"image": _upload()})
    assert done.status_code == 302
    refused = client.post(f"/voting/budgets/projects/{project.pk}/images/", {"image": io.BytesIO(b"nope")})
    assert refused.status_code == 415 and 'data-testid="place-error"' in refused.content.decode()
    shot = project.images.get()
    page = client.get(f"/voting/budgets/projects/{project.pk}/place/").content.decode()
    assert page.count('data-testid="remove-image"') == 1
    alt = {"ru": f"{project.title}, изображение 1", "en": f"{project.title}, image 1"}[lang]
    assert alt in page
    round_page = client.get(f"/voting/budgets/{budget_round.pk}/").content.decode()
    assert 'data-testid="project-gallery"' in round_page and alt in round_page
    budget_round = _to_voting(budget_round, operator)
    voter = ResidentFactory(home_district=district)
    ballot_client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    ballot_client.force_login(voter)
    ballot = ballot_client.get(f"/voting/polls/{budget_round.poll_id}/").content.decode()
    assert 'data-testid="project-gallery"' in ballot and shot.image.url in ballot and alt in ballot
    refused = client.post(f"/voting/budgets/projects/{project.pk}/images/{shot.pk}/remove/")
    assert refused.status_code == 409 and project.images.count() == 1


def test_the_place_page_removes_an_image(operator, budget_round):
    project = _project(budget_round)
    shot = services.project_image_add(project_id=project.pk, actor=operator, image=_jpeg())
    client = Client()
    client.force_login(operator)
    done = client.post(f"/voting/budgets/projects/{project.pk}/images/{shot.pk}/remove/")
    assert done.status_code == 302 and not project.images.exists()
    stranger = Client()
    stranger.force_login(ResidentFactory())
    assert stranger.post(f"/voting/budgets/projects/{project.pk}/images/").status_code == 404
