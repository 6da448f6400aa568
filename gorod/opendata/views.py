from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gorod.opendata import selectors

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
}


def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "opendata/catalogue.html", {"catalogue": selectors.catalogue()})


def download(request: HttpRequest, filename: str) -> FileResponse:
    path = selectors.file_path(filename)
    if path is None:
        raise Http404
    extension = filename.rsplit(".", 1)[-1]
    response = FileResponse(
        path.open("rb"), content_type=MEDIA_TYPES.get(extension, "application/octet-stream")
    )
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may load it
    return response
