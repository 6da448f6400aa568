"""Our City benchmark, through real HTTP (a threaded WSGI server in this process, urllib as the
client): reports filed per second via POST /api/v1/problems/reports (with and without a photo),
and the response time of the public map endpoint GET /api/v1/problems/map over 100,000 reports.
Prints figures; asserts nothing.

    .venv/bin/python bench/problems.py [sqlite|postgres] [reports_on_map]
"""

from __future__ import annotations

import io
import json
import random
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._setup import fresh_database, percentile


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def serve() -> str:
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def main(engine: str, on_map: int) -> None:
    fresh_database(engine, "bench_problems")
    import tempfile

    from django.conf import settings
    from PIL import Image

    from gorod.accounts import services as account_services
    from gorod.accounts.models import District, Okrug, Resident
    from gorod.problems.models import Organisation, Report, Topic, TopicGroup

    settings.PROBLEMS_DAILY_REPORT_LIMIT = 10**9  # the benchmark files many reports as one resident
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-problems-media-")
    settings.ALLOWED_HOSTS = ["*"]
    okrug = Okrug.objects.create(code="b", name="Bench okrug")
    district = District.objects.create(
        okrug=okrug,
        code="bench",
        name="Bench district",
        boundary={
            "type": "Polygon",
            "coordinates": [[[37.3, 55.5], [37.9, 55.5], [37.9, 55.95], [37.3, 55.95], [37.3, 55.5]]],
        },
    )
    group = TopicGroup.objects.create(code="yard", name="Yard")
    topics = [
        Topic.objects.create(group=group, code=f"t{n}", name=f"Topic {n}", photo_required=False)
        for n in range(10)
    ]
    organisation = Organisation.objects.create(code="org", name="Org")
    organisation.topics.set(topics)
    organisation.districts.add(district)
    author = Resident.objects.create(username="bench-author", level="full", email="a@bench.test")
    _token, key = account_services.api_token_issue(resident=author, name="bench")
    base = serve()
    headers = {"Authorization": f"Bearer {key}"}
    text = "The bench near entrance 3 is broken and unsafe to sit on."
    photo = io.BytesIO()
    Image.new("RGB", (1600, 1200), (120, 130, 140)).save(photo, format="JPEG", quality=85)
    rng = random.Random(7)

    def file_reports(count: int, with_photo: bool) -> float:
        started = time.perf_counter()
        for _ in range(count):
            body, content_type = multipart(
                {
                    "topic": rng.choice(topics).code,
                    "latitude": f"{rng.uniform(55.55, 55.9):.6f}",
                    "longitude": f"{rng.uniform(37.35, 37.85):.6f}",
                    "text": text,
                },
                [("photos", "p.jpg", photo.getvalue())] if with_photo else [],
            )
            request = urllib.request.Request(
                f"{base}/api/v1/problems/reports",
                data=body,
                headers={**headers, "Content-Type": content_type},
                method="POST",
            )
            with urllib.request.urlopen(request) as response:
                assert response.status == 201
        return time.perf_counter() - started

    file_reports(10, False)  # warm up
    elapsed = file_reports(300, False)
    print(f"filing via HTTP API, no photo: 300 reports in {elapsed:.2f}s = {300 / elapsed:.1f} reports/s")
    elapsed = file_reports(60, True)
    print(
        f"filing via HTTP API, one 1600x1200 JPEG: 60 reports in {elapsed:.2f}s = {60 / elapsed:.1f} reports/s"
    )

    existing = Report.objects.count()
    statuses = ["in_work", "answer_moderation", "answered", "closed", "escalated", "moderation", "rejected"]
    batch = []
    started = time.perf_counter()
    for n in range(on_map - existing):
        batch.append(
            Report(
                author=author,
                topic=topics[n % len(topics)],
                organisation=organisation,
                district=district,
                latitude=f"{rng.uniform(55.55, 55.9):.6f}",
                longitude=f"{rng.uniform(37.35, 37.85):.6f}",
                text=text,
                status=rng.choice(statuses),
                overdue=rng.random() < 0.05,
            )
        )
        if len(batch) == 5000:
            Report.objects.bulk_create(batch)
            batch = []
    Report.objects.bulk_create(batch)
    print(f"loaded {Report.objects.count():,} reports in {time.perf_counter() - started:.1f}s")
    if engine == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE problems_report")

    queries = [
        "",
        "status=in_work",
        "topic=t3",
        "district=bench",
        "overdue=true",
        "status=closed&topic=t7",
        "bbox=37.55,55.70,37.65,55.78",
        "bbox=37.60,55.74,37.62,55.76&status=answered",
    ]
    timings: dict[str, list[float]] = {q: [] for q in queries}
    sizes: dict[str, int] = {}
    for round_ in range(30):
        for q in queries:
            started = time.perf_counter()
            with urllib.request.urlopen(f"{base}/api/v1/problems/map?{q}") as response:
                payload = response.read()
            if round_:  # the first round warms caches
                timings[q].append((time.perf_counter() - started) * 1000)
            sizes[q] = len(json.loads(payload))
    everything = [t for ts in timings.values() for t in ts]
    print(f"public map over {Report.objects.count():,} reports ({engine}), {len(everything)} requests:")
    for q in queries:
        print(
            f"  {q or '(no filter)':<45} {sizes[q]:>4} points  p50 {percentile(timings[q], 50):6.1f} ms  p95 {percentile(timings[q], 95):6.1f} ms"
        )
    print(
        f"  all: p50 {percentile(everything, 50):.1f} ms, p95 {percentile(everything, 95):.1f} ms (goal p95 <= 200 ms)"
    )


if __name__ == "__main__":
    engine = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    main(engine, count)
