"""The open data catalogue for programs: the datasets of the last generation and their files."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from gorod.opendata import selectors
from gorod.opendata.errors import CatalogueNotGenerated

API_PREFIX = "/opendata"
router = Router(tags=["open data"])


class LicenceOut(Schema):
    name: str
    title: str
    path: str


class DownloadOut(Schema):
    format: str
    url: str
    bytes: int


class DatasetOut(Schema):
    name: str
    title: str
    description: str
    licence: LicenceOut
    updated: dt.datetime
    row_count: int
    downloads: list[DownloadOut]


class CatalogueOut(Schema):
    updated: dt.datetime
    licence: LicenceOut
    datapackage_url: str
    datasets: list[DatasetOut]


@router.get(
    "/datasets",
    response={200: CatalogueOut, 404: dict},
    auth=None,
    summary="Open datasets with their licence, update time and downloads",
)
def get_datasets(request: HttpRequest) -> CatalogueOut:
    found = selectors.catalogue()
    if found is None:
        raise CatalogueNotGenerated()

    def url(filename: str) -> str:
        return request.build_absolute_uri(f"/opendata/{filename}")

    return CatalogueOut(
        updated=found.created,
        licence=LicenceOut(**found.licence),
        datapackage_url=url("datapackage.json"),
        datasets=[
            DatasetOut(
                name=entry.name,
                title=entry.title,
                description=entry.description,
                licence=LicenceOut(**entry.licence),
                updated=entry.updated,
                row_count=entry.row_count,
                downloads=[
                    DownloadOut(format=d.format, url=url(d.filename), bytes=d.bytes) for d in entry.downloads
                ],
            )
            for entry in found.entries
        ],
    )
