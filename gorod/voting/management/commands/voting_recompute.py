"""Recompute a poll's tally and Merkle root from its public ballot download.

    curl -o ballots.csv https://<site>/api/v1/polls/<id>/ballots.csv
    python manage.py voting_recompute ballots.csv
    python manage.py voting_recompute ballots.csv --root <published root>   # exit 1 on mismatch

Needs no database: it reads the CSV (receipt_hash, choices), whose rows are either a receipt
(choices empty) or a ballot (receipt_hash empty), never both: a receipt does not say which
ballot is its own. Each receipt becomes a leaf SHA-256(0x00 || "receipt|<hash>"), each ballot
SHA-256(0x00 || "ballot|<choices>"); each list is sorted and built into a Merkle tree exactly as
published (node = SHA-256 of 0x01 || left || right, an odd last node promoted), the root is
node(receipts root, ballots root), and the picks are counted per question and option.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _root(level: list[bytes]) -> bytes:
    level = sorted(level)
    if not level:
        return hashlib.sha256(b"").digest()
    while len(level) > 1:
        paired = [_node(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def recompute(path: Path) -> tuple[str, int, Counter[tuple[int, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [(r["receipt_hash"], r["choices"]) for r in csv.DictReader(handle)]
    counts: Counter[tuple[int, str]] = Counter()
    receipts, ballots = [], []
    for receipt_hash, choices in rows:
        if receipt_hash and choices:
            raise CommandError("a row pairs a receipt with a ballot: this is not a published download")
        if receipt_hash:
            receipts.append(hashlib.sha256(b"\x00" + f"receipt|{receipt_hash}".encode()).digest())
            continue
        ballots.append(hashlib.sha256(b"\x00" + f"ballot|{choices}".encode()).digest())
        for part in choices.split(";"):
            question, _sep, picks = part.partition("=")
            for pick in picks.split(","):
                counts[(int(question), pick)] += 1
    if len(receipts) != len(ballots):
        raise CommandError(f"{len(receipts)} receipts but {len(ballots)} ballots")
    return _node(_root(receipts), _root(ballots)).hex(), len(ballots), counts


class Command(BaseCommand):
    help = "Recompute a poll's tally and Merkle root from the anonymised ballot CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_path", type=Path)
        parser.add_argument("--root", default="", help="the published root to compare with")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv_path"]
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        root, ballots, counts = recompute(path)
        self.stdout.write(f"ballots: {ballots}")
        for (question, pick), n in sorted(counts.items()):
            self.stdout.write(f"question {question} option {pick}: {n}")
        self.stdout.write(f"merkle root: {root}")
        if options["root"]:
            if options["root"].lower() != root:
                raise CommandError("the recomputed root differs from the published one")
            self.stdout.write("matches the published root")
