from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from gorod.accounts.tests.factories import ResidentFactory
from gorod.core.errors import DomainError
from gorod.voting import services
from gorod.voting.models import QuestionKind
from gorod.voting.rules import Answer
from gorod.voting.services import QuestionSpec
from gorod.voting.targeting import Targeting


def make_poll(*, targeting: Targeting | None = None, status: str = "open", live: bool = False, **kw: Any):
    now = timezone.now()
    poll = services.poll_create(
        title=kw.pop("title", "Which park should be renovated first?"),
        opens_at=kw.pop("opens_at", now - dt.timedelta(hours=1)),
        closes_at=kw.pop("closes_at", now + dt.timedelta(days=7)),
        questions=kw.pop(
            "questions",
            [
                QuestionSpec(text="Park", options=["Gorky Park", "Sokolniki", "Izmailovo"]),
                QuestionSpec(
                    text="What to add",
                    options=["Benches", "Lighting", "Playground"],
                    kind=QuestionKind.MULTIPLE,
                    max_choices=2,
                    allow_other=True,
                ),
            ],
        ),
        targeting=targeting,
        live_results=live,
        **kw,
    )
    if status in {"open", "closed", "published"}:
        services.poll_open(poll_id=poll.pk)
    if status in {"closed", "published"}:
        services.poll_close(poll_id=poll.pk)
    if status == "published":
        services.poll_results_publish(poll_id=poll.pk)
    poll.refresh_from_db()
    return poll


def answers_for(poll, first: int = 0, second: tuple[int, ...] = (0,), other: str = "") -> list[Answer]:
    q1, q2 = list(poll.questions.all())[:2]
    o1 = list(q1.options.all())
    o2 = list(q2.options.all())
    return [
        Answer(question_id=q1.pk, option_ids=(o1[first].pk,)),
        Answer(question_id=q2.pk, option_ids=tuple(o2[i].pk for i in second), other=other),
    ]


@pytest.fixture
def open_poll(db):
    return make_poll()


@pytest.fixture
def operator(db):
    return ResidentFactory(level="full", roles=["operator"], is_staff=True)


@pytest.fixture
def points_defaults(transactional_db):
    """Transactional tests start from a flushed database: put the published rules back."""
    import importlib

    from django.apps import apps

    for name in ("0002_programmes", "0003_default_rules"):
        importlib.import_module(f"gorod.points.migrations.{name}").create(apps, None)


def receipt_leaf(code: str) -> bytes:
    from gorod.core import merkle
    from gorod.voting import rules

    return merkle.leaf_hash(rules.receipt_leaf_bytes(rules.receipt_hash(code)))


def proves_receipt(poll, code: str) -> bool:
    """What the browser does: ask with 4 hex digits of the receipt's leaf, find it among the
    answers and fold its steps up to the published root."""
    from gorod.core import merkle
    from gorod.voting import tally

    leaf = receipt_leaf(code)
    found = tally.receipt_proofs(poll, leaf.hex()[:4])
    for leaf_hex, _index, steps in found.entries:
        if leaf_hex == leaf.hex():
            path = [merkle.ProofStep(sibling=bytes.fromhex(s), sibling_is_left=left) for s, left in steps]
            return merkle.verify_inclusion(leaf, path, bytes.fromhex(poll.merkle_root))
    return False


def at_once(count: int, call: Any) -> list[str]:
    """The races' harness (poll, budget and contest race tests): run ``call`` in ``count`` threads released together; each outcome is "ok" or the refusal's
    code. Each thread closes its own database connection."""
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            call()
            result = "ok"
        except DomainError as refusal:
            result = refusal.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)
