"""Participatory budgeting: the tally of a 100,000-ballot round (issue 27).

A round with 12 feasible projects is moved to voting (its poll opens), then 100,000 ballots are
loaded as the vote writes them (sealed pending ballots, ``seal.seal``; no participations or
points, which the tally never reads), and three steps are timed, each as the operator's move
runs it:

1. the mix: opening, shuffling and writing the ballots in batches (ADR 0003);
2. the close: the grouped tally and the Merkle root over ballots and receipts, tree stored;
3. the results move: publishing and funding the projects greedily by votes.

    .venv/bin/python bench/budgets.py [--ballots 100000] [--engine postgresql|sqlite]

Prints the set-up time (not measured) and each step's seconds, and the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import fresh_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--engine", default="postgresql", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    os.environ.setdefault("GOROD_BALLOT_DEMO_CUSTODY", "1")  # stand-in trustees: this process mixes
    fresh_database(args.engine, "gorod_bench_budgets")

    from django.utils import timezone

    from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
    from gorod.voting import mix, rules, seal
    from gorod.voting import services as poll_services
    from gorod.voting.budgets import services
    from gorod.voting.models import PendingBallot, Poll

    operator = ResidentFactory(level="full", roles=["operator"], is_staff=True)
    district = DistrictFactory()
    now = timezone.now()
    budget_round = services.round_create(
        actor=operator,
        title="Bench round",
        budget_roubles=100_000_000,
        district=district,
        voting_opens_at=now - dt.timedelta(hours=1),
        voting_closes_at=now + dt.timedelta(days=14),
    )
    costs = [3_000_000 + 1_700_000 * i for i in range(12)]
    for i, cost in enumerate(costs):
        services.project_add(
            round_id=budget_round.pk, actor=operator, title=f"Project {i}", cost_roubles=cost
        )
    services.round_advance(round_id=budget_round.pk, actor=operator)
    for project in budget_round.projects.all():
        services.project_review(project_id=project.pk, actor=operator, feasible=True)
    budget_round = services.round_advance(round_id=budget_round.pk, actor=operator)
    poll = Poll.objects.get(pk=budget_round.poll_id)
    question = poll.questions.get()
    options = sorted(question.options.values_list("pk", "cost_roubles"))

    started = time.monotonic()
    rng = random.Random(27)
    batch: list[PendingBallot] = []
    for _ in range(args.ballots):
        picks, total = [], 0
        for option_id, cost in rng.sample(options, k=rng.randint(1, 6)):
            if total + cost <= 100_000_000:
                picks.append(option_id)
                total += cost
        choices = rules.canonical_choices(
            [rules.CleanAnswer(question_id=question.pk, option_ids=tuple(sorted(picks)))]
        )
        content = seal.SealedContent(
            receipt_hash=rules.receipt_hash(rules.new_receipt_code()),
            choices=choices,
            district_id=district.pk,
            others=[],
        )
        batch.append(PendingBallot(poll_id=poll.pk, sealed=seal.seal(poll.pk, content)))
        if len(batch) == 5_000:
            PendingBallot.objects.bulk_create(batch)
            batch = []
    PendingBallot.objects.bulk_create(batch)
    print(
        f"loaded {args.ballots:,} sealed ballots in {time.monotonic() - started:.1f} s (set-up, not measured)"
    )

    started = time.monotonic()
    mix.ballots_mix(poll_id=poll.pk, final=True)
    mixed = time.monotonic() - started
    started = time.monotonic()
    poll_services.poll_close(poll_id=poll.pk, actor=operator)
    closed = time.monotonic() - started
    started = time.monotonic()
    budget_round = services.round_advance(round_id=budget_round.pk, actor=operator)
    funded = time.monotonic() - started
    poll.refresh_from_db()
    assert poll.ballot_count == args.ballots and poll.results["ballots"] == args.ballots
    lines = budget_round.funding["lines"]
    print(
        f"engine {args.engine}, {args.ballots:,} ballots, 12 projects, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"mix (open, shuffle, write in batches): {mixed:.2f} s")
    print(f"close (grouped tally + Merkle root, tree stored): {closed:.2f} s")
    print(f"results move (publish + greedy funding): {funded:.3f} s")
    print(f"funded {sum(line['funded'] for line in lines)} of {len(lines)} projects")


if __name__ == "__main__":
    main()
