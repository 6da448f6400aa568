"""/api/v1/home/surveys: a resident or the building's administrator opens a neighbour survey.

Answering and results go through the poll endpoints (/api/v1/polls/...), as on the site.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field, StringConstraints

from gorod.accounts.edge import resident_of
from gorod.housing import errors
from gorod.housing.models import Building
from gorod.housing.surveys import services as services_surveys

# No tags of its own: it takes "home" from the app router it is mounted on (tags accumulate).
router = Router()

Answer = Annotated[str, StringConstraints(max_length=300)]


class SurveyQuestionIn(Schema):
    text: str = Field(min_length=1, max_length=300)
    options: list[Answer] = Field(min_length=2, max_length=20, description="two or more different answers")


class SurveyIn(Schema):
    building_id: int
    title: str = Field(min_length=1, max_length=200)
    questions: list[SurveyQuestionIn] = Field(min_length=1, max_length=20)
    days: int = Field(7, ge=1, le=services_surveys.MAX_DAYS, description="open for this many days")


class SurveyOut(Schema):
    id: int = Field(description="the survey's poll id: answer and read results at /api/v1/polls/{id}")
    building_id: int
    title: str
    status: str
    opens_at: dt.datetime
    closes_at: dt.datetime


@router.post(
    "/surveys",
    operation_id="gorod_housing_surveys_api_post_survey",
    response={201: SurveyOut},
    summary="Open a neighbour survey of my building",
)
def post_survey(request: HttpRequest, body: SurveyIn) -> Status[SurveyOut]:
    building = Building.objects.filter(pk=body.building_id).first()
    if building is None:
        raise errors.BuildingNotFound(field="building_id")
    poll = services_surveys.survey_create(
        building=building,
        title=body.title,
        questions=[(q.text, q.options) for q in body.questions],
        days=body.days,
        actor=resident_of(request),
    )
    return Status(
        201,
        SurveyOut(
            id=poll.pk,
            building_id=building.pk,
            title=poll.title,
            status=poll.status,
            opens_at=poll.opens_at,
            closes_at=poll.closes_at,
        ),
    )
