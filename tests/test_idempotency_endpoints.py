"""Idempotency-Key on the writes a client retries most (a ballot, a meter reading, a reward
order, a problem report, an Open311 filing): a retry with the key replays the stored answer and
writes nothing more; the key with another body is refused (422) and writes nothing. Also: two
concurrent calls with one key act once, and a database that does not answer gives 503 with a
code and Retry-After, not a 500."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from conftest import postgres_only
from gorod.accounts import services as account_services
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.housing.models import Reading, ReadingWindow
from gorod.housing.tests.factories import LinkFactory, MeterFactory
from gorod.points import selectors as points_selectors
from gorod.points.models import Transfer
from gorod.problems.models import Report
from gorod.problems.tests.factories import OrganisationFactory, TopicFactory
from gorod.rewards.models import Order
from gorod.rewards.tests.factories import give_points, make_partner, make_point, make_reward
from gorod.voting.models import Participation, PendingBallot
from gorod.voting.tests.conftest import make_poll

JSON = "application/json"
# A district of its own (20..21 E, 40..41 N), as in the problems app's tests.
INSIDE = ("40.500000", "20.500000")
BOX = {
    "type": "Polygon",
    "coordinates": [[[20.0, 40.0], [21.0, 40.0], [21.0, 41.0], [20.0, 41.0], [20.0, 40.0]]],
}
REPORT_TEXT = "The bench in the yard is broken and the slats are missing."


def _token(resident: Any) -> str:
    return account_services.api_token_issue(resident=resident, name="retries")[1]


def _api(resident: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {_token(resident)}")


def _retried(send: Callable[..., Any], first: Any, other: Any) -> None:
    """The first call acts; the same key again replays it byte for byte; the key with another
    body is refused with 422."""
    answer = send(first, "key-1")
    assert 200 <= answer.status_code < 300, answer.content
    again = send(first, "key-1")
    assert again.status_code == answer.status_code
    assert again.content == answer.content
    assert again["Idempotent-Replayed"] == "true"
    refused = send(other, "key-1")
    assert refused.status_code == 422
    assert refused.json()["code"] == "idempotency_key_reused"


@pytest.mark.django_db
def test_a_retried_ballot_is_cast_once_and_replays_its_receipt(api_client, resident):
    poll = make_poll()
    q1, q2 = list(poll.questions.all())[:2]
    o1, o2 = list(q1.options.all()), list(q2.options.all())

    def ballot(option: int) -> dict:
        return {
            "answers": [
                {"question_id": q1.pk, "option_ids": [o1[option].pk]},
                {"question_id": q2.pk, "option_ids": [o2[0].pk]},
            ]
        }

    def send(body: dict, key: str) -> Any:
        url = f"/api/v1/polls/{poll.pk}/ballot"
        return api_client.post(url, body, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key)

    # The key's record names the resident, so it keeps neither the receipt nor the body (not
    # even hashed): a retry replays the answer without the receipt, whatever its body says.
    answer = send(ballot(0), "key-1")
    assert answer.status_code == 201 and answer.json()["code"]
    for body in (ballot(0), ballot(1)):
        again = send(body, "key-1")
        assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
        assert again.json() == {**answer.json(), "code": "", "receipt_hash": ""}
    assert Participation.objects.filter(poll=poll).count() == 1
    assert PendingBallot.objects.filter(poll=poll).count() == 1
    assert Transfer.objects.filter(source_key=f"vote:{poll.pk}:{resident.pk}").count() == 1


@pytest.mark.django_db
def test_a_retried_meter_reading_is_stored_once(resident):
    # A window from the 2nd to the 1st: every day of the month is in it, whatever today is.
    ReadingWindow.objects.update_or_create(resource="cold_water", defaults={"start_day": 2, "end_day": 1})
    meter = MeterFactory()
    LinkFactory(resident=resident, premise=meter.premise)
    api = _api(resident)

    def send(value: str, key: str) -> Any:
        url = f"/api/v1/home/meters/{meter.pk}/readings"
        return api.post(url, {"values": [value]}, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key)

    _retried(send, "120.500", "130.500")
    reading = Reading.objects.get(meter=meter)
    assert str(reading.value_1) == "120.500"  # the refused body changed nothing
    assert Transfer.objects.filter(source_key__contains=f":{meter.pk}:").count() <= 1


@pytest.mark.django_db
def test_a_retried_reward_order_is_placed_and_held_once(resident):
    give_points(resident, 1000)
    partner = make_partner()
    first_point, second_point = make_point(partner), make_point(partner)
    reward = make_reward(partner, price=300, stock=10, points=[(first_point, 5), (second_point, 5)])
    api = _api(resident)

    def send(point: int, key: str) -> Any:
        url = f"/api/v1/rewards/catalogue/{reward.pk}/orders"
        return api.post(url, {"pickup_point_id": point}, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key)

    _retried(send, first_point.pk, second_point.pk)
    assert Order.objects.filter(resident=resident).count() == 1
    balance = points_selectors.balance(resident)
    assert balance.held == 300 and balance.available == 700


@pytest.fixture
def city_district(db: Any) -> Any:
    district = DistrictFactory(code="retry-district", name="Retry district", boundary=BOX)
    topic = TopicFactory(code="retry-bench", name="Broken bench")
    organisation = OrganisationFactory(code="gbu-retry", name="GBU Retry")
    organisation.topics.add(topic)
    organisation.districts.add(district)
    return district


def test_a_retried_problem_report_is_filed_once(city_district):
    author = ResidentFactory(level="full", home_district=city_district)
    api = _api(author)

    def send(text: str, key: str) -> Any:
        form = {"topic": "retry-bench", "latitude": INSIDE[0], "longitude": INSIDE[1], "text": text}
        return api.post("/api/v1/problems/reports", form, HTTP_IDEMPOTENCY_KEY=key)

    _retried(send, REPORT_TEXT, REPORT_TEXT + " Please hurry.")
    assert Report.objects.filter(author=author).count() == 1
    assert Report.objects.get(author=author).text == REPORT_TEXT


def test_a_retried_open311_filing_is_filed_once(city_district):
    author = ResidentFactory(level="full", home_district=city_district)
    key = _token(author)

    def send(text: str, idempotency_key: str) -> Any:
        form = {
            "api_key": key,
            "service_code": "retry-bench",
            "lat": INSIDE[0],
            "long": INSIDE[1],
            "description": text,
        }
        return Client().post("/open311/v2/requests.json", form, HTTP_IDEMPOTENCY_KEY=idempotency_key)

    _retried(send, REPORT_TEXT, REPORT_TEXT + " Please hurry.")
    assert Report.objects.filter(author=author, source="open311").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_calls_with_one_key_act_once():
    resident = ResidentFactory()
    give_points(resident, 1000)
    partner = make_partner()
    point = make_point(partner)
    reward = make_reward(partner, price=100, stock=10, points=[(point, 5)])
    token = _token(resident)
    barrier = threading.Barrier(4)
    answers: list[tuple[int, bytes]] = []

    def order() -> None:
        try:
            barrier.wait(timeout=10)
            response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
                f"/api/v1/rewards/catalogue/{reward.pk}/orders",
                {"pickup_point_id": point.pk},
                content_type=JSON,
                HTTP_IDEMPOTENCY_KEY="same",
            )
            answers.append((response.status_code, response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=order) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # The later calls waited on the key's row and then replayed the first answer.
    assert len(answers) == 4 and {status for status, _ in answers} == {201}
    assert len({content for _, content in answers}) == 1
    assert Order.objects.filter(resident=resident).count() == 1
    assert points_selectors.balance(resident).held == 100


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_before_the_answer_is_stored_undoes_the_action():
    """The database connection dies after the order is written and before its answer is stored:
    the order must not stay behind (a retry would place it again), and the retry places it once."""
    import psycopg

    resident = ResidentFactory()
    give_points(resident, 1000)
    partner = make_partner()
    point = make_point(partner)
    reward = make_reward(partner, price=100, stock=10, points=[(point, 5)])
    api = _api(resident)
    db = connection.settings_dict
    admin = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    )

    def kill_before_storing(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith('UPDATE "accounts_idempotencyrecord"'):
            pid = context["connection"].connection.info.backend_pid
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)

    def order() -> Any:
        return api.post(
            f"/api/v1/rewards/catalogue/{reward.pk}/orders",
            {"pickup_point_id": point.pk},
            content_type=JSON,
            HTTP_IDEMPOTENCY_KEY="lost",
        )

    api.raise_request_exception = False
    try:
        with connection.execute_wrapper(kill_before_storing):
            lost = order()
    finally:
        admin.close()
    assert lost.status_code == 503 and lost.json()["code"] == "database_unavailable"
    connection.close()
    assert Order.objects.filter(resident=resident).count() == 0
    assert points_selectors.balance(resident).held == 0
    retry = order()
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry
    assert order().json() == retry.json()
    assert Order.objects.filter(resident=resident).count() == 1
    assert points_selectors.balance(resident).held == 100


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def database_down(django_db_blocker: Any) -> Iterator[None]:
    """PostgreSQL stops answering: the connection goes to a port nobody listens on (restored
    afterwards)."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("the SQLite test database lives in memory: it cannot be made unreachable")
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict["PORT"] = _unused_port()
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)


@postgres_only
def test_a_database_that_does_not_answer_gives_503_with_a_code(database_down):
    client = Client(raise_request_exception=False)
    # A write: the token is looked up (in a middleware) before any view runs.
    write = client.post(
        "/api/v1/rewards/catalogue/1/orders",
        {},
        content_type=JSON,
        HTTP_AUTHORIZATION="Bearer gd_anything",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    # A read: the API view itself meets the error.
    read = client.get("/api/v1/polls")
    for response in (write, read):
        assert response.status_code == 503, response.content
        assert response.json()["code"] == "database_unavailable"
        assert response["Retry-After"] == "2"
    page = client.get("/voting/")
    assert page.status_code == 503 and page["Retry-After"] == "2"
    assert b"<h1>" in page.content


def _write_operations() -> list[tuple[str, str]]:
    from config.api import api

    paths = api.get_openapi_schema()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        for method in operations
        if method in {"post", "put", "patch", "delete"}
    )


# Authenticated by the provider's signature, not by a resident: idempotent by its payment id.
NOT_A_RESIDENT_WRITE = {"/api/v1/home/payments/callback/{provider_code}"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path", [op for op in _write_operations() if op[1] not in NOT_A_RESIDENT_WRITE]
)
def test_every_resident_write_of_the_api_honours_the_key(method, path):
    """Whatever the endpoint answers to an empty body (mostly a refusal), the same key again gets
    that stored answer back, not a second run of the view."""
    import re

    api = _api(ResidentFactory(level="full"))
    url = re.sub(r"\{[^}]+\}", "1", path)
    first = api.generic(method, url, "{}", content_type=JSON, HTTP_IDEMPOTENCY_KEY="every")
    assert first.status_code < 500, first.content
    again = api.generic(method, url, "{}", content_type=JSON, HTTP_IDEMPOTENCY_KEY="every")
    assert again.get("Idempotent-Replayed") == "true", (again.status_code, again.content)
    assert (again.status_code, again.content) == (first.status_code, first.content)
