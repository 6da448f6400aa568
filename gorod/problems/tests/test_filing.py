from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from gorod.accounts.tests.factories import ResidentFactory
from gorod.problems import errors, services
from gorod.problems.models import Photo, Report, ReportEvent
from gorod.problems.tests.conftest import INSIDE, OUTSIDE, TEXT, upload
from gorod.problems.tests.factories import TopicFactory, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def file(author: Any, topic_code: str, **kwargs: Any) -> Report:
    args = {"latitude": INSIDE[0], "longitude": INSIDE[1], "text": TEXT, **kwargs}
    return services.report_file(author=author, topic_code=topic_code, **args)


def test_a_report_goes_to_moderation_with_its_photo_stripped_of_exif(author, photo_topic, media_files):
    report = file(author, photo_topic.code, photo_uploads=[upload(content=jpeg_bytes(gps=(40.5, 20.6)))])
    assert report.status == "moderation"
    assert report.district.code == "test-district"
    assert [e.action for e in ReportEvent.objects.filter(report=report)] == ["submit"]
    photo = Photo.objects.get(report=report)
    # The GPS location was read before the metadata was dropped.
    assert abs(float(photo.taken_latitude) - 40.5) < 0.0001
    assert abs(float(photo.taken_longitude) - 20.6) < 0.0001
    stored = media_files()
    assert len(stored) == 1
    assert "problems" in str(stored[0]) and "static" not in str(stored[0])
    with Image.open(stored[0]) as image:
        assert not image.getexif()


def test_contacts_in_the_text_are_masked(author, topic):
    text = "Call me at +7 (916) 123-45-67 or write ivan.petrov@mail.ru about the bench by the gate."
    report = file(author, topic.code, text=text)
    assert "916" not in report.text and "@" not in report.text
    assert "bench by the gate" in report.text


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"latitude": OUTSIDE[0], "longitude": OUTSIDE[1]}, errors.OutsideCity),
        ({"latitude": "not a number"}, errors.OutsideCity),
        ({"latitude": "95"}, errors.OutsideCity),
        ({"text": ""}, errors.TextTooShort),
        ({"text": "broken"}, errors.TextTooShort),
        ({"text": "mail me: someone@example.org +79161234567"}, errors.TextTooShort),
    ],
)
def test_bad_filings_are_refused_and_store_nothing(author, topic, media_files, kwargs, error):
    with pytest.raises(error):
        file(author, topic.code, photo_uploads=[upload()], **kwargs)
    assert Report.objects.count() == 0
    assert Photo.objects.count() == 0
    assert media_files() == []


def test_unknown_topic_is_refused(author, topic, media_files):
    with pytest.raises(errors.UnknownTopic) as refused:
        file(author, "no-such-topic", photo_uploads=[upload()])
    assert refused.value.code == "unknown_topic"
    assert Report.objects.count() == 0 and media_files() == []


@pytest.mark.parametrize(
    ("when", "season"),
    [
        (dt.datetime(2027, 1, 15, 12, tzinfo=ZoneInfo("Europe/Moscow")), "summer"),
        (dt.datetime(2027, 7, 15, 12, tzinfo=ZoneInfo("Europe/Moscow")), "winter"),
    ],
)
def test_out_of_season_topic_is_refused(author, district, media_files, when, season):
    off_season = TopicFactory(code="off-season", season=season)
    with time_machine.travel(when, tick=False), pytest.raises(errors.TopicOutOfSeason):
        file(author, off_season.code, photo_uploads=[upload()])
    assert Report.objects.count() == 0 and media_files() == []


def test_missing_required_photo_is_refused(author, photo_topic):
    with pytest.raises(errors.PhotoRequired):
        file(author, photo_topic.code)
    assert Report.objects.count() == 0


def test_a_file_that_is_not_an_image_is_refused_by_content(author, photo_topic, media_files):
    fake = upload("photo.jpg", b"GIF89a this is not really a picture at all", "image/jpeg")
    with pytest.raises(errors.NotAnImage):
        file(author, photo_topic.code, photo_uploads=[upload(), fake])
    assert Report.objects.count() == 0 and Photo.objects.count() == 0 and media_files() == []


def test_a_gif_is_refused_even_though_it_is_an_image(author, photo_topic):
    out = io.BytesIO()
    Image.new("P", (5, 5)).save(out, format="GIF")
    with pytest.raises(errors.NotAnImage):
        file(author, photo_topic.code, photo_uploads=[upload("a.gif", out.getvalue(), "image/gif")])
    assert Report.objects.count() == 0


def test_a_too_large_photo_is_refused(author, photo_topic, media_files):
    big = upload("big.png", png_bytes() + b"\0" * (5 * 1024 * 1024), "image/png")
    with pytest.raises(errors.PhotoTooLarge):
        file(author, photo_topic.code, photo_uploads=[big])
    assert Report.objects.count() == 0 and media_files() == []


def test_more_than_five_photos_are_refused(author, photo_topic, media_files):
    with pytest.raises(errors.TooManyPhotos):
        file(author, photo_topic.code, photo_uploads=[upload() for _ in range(6)])
    assert Report.objects.count() == 0 and media_files() == []


def test_five_photos_are_fine(author, photo_topic, media_files):
    file(author, photo_topic.code, photo_uploads=[upload() for _ in range(5)])
    assert Photo.objects.count() == 5 and len(media_files()) == 5


def test_simplified_account_may_not_file(topic, district):
    vera = ResidentFactory(level="simplified", home_district=district)
    with pytest.raises(errors.LevelTooLow):
        file(vera, topic.code)
    assert Report.objects.count() == 0


def test_daily_limit_per_resident_leaves_no_files(author, topic, settings, media_files):
    settings.PROBLEMS_DAILY_REPORT_LIMIT = 2
    file(author, topic.code)
    file(author, topic.code)
    files_before = media_files()
    with pytest.raises(errors.DailyLimitReached) as refused:
        file(author, topic.code, photo_uploads=[upload()])
    assert refused.value.status == 429
    assert Report.objects.count() == 2
    assert media_files() == files_before
    # Someone else is not limited by it.
    file(ResidentFactory(level="standard"), topic.code)
    assert Report.objects.count() == 3
