"""Open311 GeoReport v2 answers in either of the specification's formats: XML (its default) and
JSON. Views build plain values (dicts, lists, strings, numbers, booleans, None) and this module
writes them; XML element names for list items follow the specification's examples."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse, JsonResponse

FORMATS = ("xml", "json")
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
# The element of each item of a list, by the list's element (GeoReport v2 examples).
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(ElementTree.SubElement(element, name), child)
    elif isinstance(value, list):
        item_tag = ITEM_TAGS[element.tag]
        for item in value:
            _fill(ElementTree.SubElement(element, item_tag), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, value)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def answer(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """``value`` under ``root`` (the XML document element; JSON has no root, only the value)."""
    if fmt == "json":
        return JsonResponse(value, status=status, safe=False)
    return HttpResponse(to_xml(root, value), status=status, content_type=XML_CONTENT_TYPE)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return answer(fmt, "errors", [{"code": status, "description": description}], status=status)
