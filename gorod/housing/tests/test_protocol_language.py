"""The meeting protocol PDF reads in one language: Russian words only in Russian, no Cyrillic in
English (issue 23). The text is read back from the PDF itself, through the ToUnicode maps
reportlab embeds with its fonts."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from gorod.housing.meetings.protocol import protocol_pdf
from gorod.housing.meetings.rules import MeetingResult
from gorod.housing.models import Meeting

pytestmark = pytest.mark.django_db
SEEDED = dt.datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}


def _stream(body: bytes) -> bytes:
    data = re.search(rb"stream\r?\n(.*?)endstream", body, re.S).group(1)  # type: ignore[union-attr]
    if b"ASCII85Decode" in body:
        data = base64.a85decode(data.strip().removesuffix(b"~>"))
    if b"FlateDecode" in body:
        data = zlib.decompress(data)
    return data


def _literal(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i : i + 1] == b"\\":
            digits = re.match(rb"[0-7]{1,3}", raw[i + 1 :])
            if digits:
                out.append(int(digits.group(0), 8))
                i += 1 + len(digits.group(0))
                continue
            nxt = raw[i + 1 : i + 2]
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(nxt, nxt)
            i += 2
            continue
        out += raw[i : i + 1]
        i += 1
    return bytes(out)


def pdf_text(pdf: bytes) -> str:
    """The text of every page: each font subset's codes through its ToUnicode map."""
    objects = _objects(pdf)
    maps: dict[int, dict[int, str]] = {}
    for number, body in objects.items():
        if cmap := re.search(rb"/ToUnicode (\d+) 0 R", body):
            stream = _stream(objects[int(cmap.group(1))])
            pairs = b"".join(re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S))
            maps[number] = {
                int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
                for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", pairs)
            }
    fonts = {name: int(n) for name, n in re.findall(rb"/(F[\w+.]+) (\d+) 0 R", pdf)}
    words = []
    for body in objects.values():
        if b"stream" not in body or b"/Length" not in body or b"/ToUnicode" in body:
            continue
        try:
            content = _stream(body)
        except (ValueError, zlib.error):
            continue
        codes: dict[int, str] = {}
        for font, raw in re.findall(rb"/(F[\w+.]+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            if font:
                codes = maps.get(fonts.get(font, -1), {})
            else:
                words.append("".join(codes.get(b, chr(b)) for b in _literal(raw)))
    return "".join(words)


@pytest.fixture
def finished_meeting(db):
    with time_machine.travel(SEEDED, tick=False), translation.override(settings.LANGUAGE_CODE):
        call_command("seed_demo", verbosity=0)
    meeting = Meeting.objects.filter(result__isnull=False).exclude(result={}).first()
    assert meeting is not None, "the demo city has a finished meeting"
    return meeting


def test_the_protocol_is_in_russian_for_a_russian_reader(finished_meeting):
    with translation.override("ru"):
        meeting = Meeting.objects.get(pk=finished_meeting.pk)
        text = pdf_text(protocol_pdf(meeting, MeetingResult.from_json(meeting.result)))
    assert "Протокол" in text
    latin = set(re.findall(r"(?<![\w.])[A-Za-z]{2,}(?![\w.])", text))
    assert latin == set(), text


def test_the_protocol_is_in_english_for_an_english_reader(finished_meeting):
    with translation.override("en"):
        meeting = Meeting.objects.get(pk=finished_meeting.pk)
        text = pdf_text(protocol_pdf(meeting, MeetingResult.from_json(meeting.result)))
    assert "Protocol" in text
    assert re.findall(r"[А-Яа-яЁё]+", text) == [], text
