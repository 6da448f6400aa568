"""Writes of Mission City: challenges, joining and leaving, evidence and its points.

Progress is idempotent per evidence item: the evidence row is unique per (participation, key)
and its points carry the ledger source key ``mission:<challenge>:<resident>:<evidence>``, so a
repeated confirmation or a re-imported file adds nothing twice.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.core.cache import shared_cache
from gorod.core.errors import PermissionDenied
from gorod.core.time import city_today
from gorod.missions import permissions, rules, selectors
from gorod.missions.errors import (
    AlreadyJoined,
    ChallengeNotOpen,
    EvidenceConflict,
    ImportRefused,
    InvalidChallenge,
    InvalidEvidence,
    NotEligible,
    NotJoined,
    UnknownResident,
    WrongProofMethod,
)
from gorod.missions.models import Challenge, Evidence, Participation, ProofMethod
from gorod.points import selectors as points_selectors
from gorod.points import services as points_services
from gorod.points import services_bulk as points_bulk
from gorod.points.errors import UnknownEarningRule

PROGRAMME = "mission_city"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@transaction.atomic
def challenge_save(*, challenge: Challenge, actor: Resident | None, reason: str = "") -> Challenge:
    """Create or change a challenge (operators); its earning rule must exist in Mission City."""
    if actor is not None and not permissions.may_manage_challenges(actor):
        raise PermissionDenied()
    if challenge.ends_on < challenge.starts_on:
        raise InvalidChallenge(field="ends_on", reason="ends before it starts")
    try:
        points_selectors.current_version(PROGRAMME, challenge.action)
    except UnknownEarningRule:
        raise InvalidChallenge(field="action", reason=f"no Mission City rule {challenge.action!r}") from None
    created = challenge.pk is None
    challenge.save()
    shared_cache.bump(selectors.CHALLENGES)
    audit_record(
        actor=actor,
        action="missions.challenge_create" if created else "missions.challenge_change",
        target=challenge,
        after={
            "title": challenge.title,
            "action": challenge.action,
            "points_per_unit": challenge.points_per_unit,
        },
        reason=reason,
    )
    return challenge


def _new_code() -> str:
    return "M" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


@transaction.atomic(durable=True)
def participation_join(*, challenge: Challenge, resident: Resident) -> Participation:
    """Join a challenge one is eligible for, while it is open; rejoining after leaving is allowed."""
    if not challenge.published or not rules.is_open(
        starts_on=challenge.starts_on, ends_on=challenge.ends_on, today=city_today()
    ):
        raise ChallengeNotOpen(challenge_id=challenge.pk)
    reason = rules.ineligibility(
        min_level=challenge.min_level,
        level=resident.level,
        district_ids={d.pk for d in challenge.districts.all()},
        home_district_id=resident.home_district_id,
    )
    if reason:
        raise NotEligible(reason=reason)
    existing = (
        Participation.objects.select_for_update().filter(challenge=challenge, resident=resident).first()
    )
    if existing is not None:
        if existing.left_at is None:
            raise AlreadyJoined(challenge_id=challenge.pk)
        Participation.objects.filter(pk=existing.pk).update(left_at=None)
        existing.left_at = None
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Participation.objects.create(
                    challenge=challenge, resident=resident, code=_new_code(), joined_at=timezone.now()
                )
        except IntegrityError:
            if Participation.objects.filter(challenge=challenge, resident=resident).exists():
                raise AlreadyJoined(challenge_id=challenge.pk) from None
    raise RuntimeError("could not allocate a unique mission code")


@transaction.atomic(durable=True)
def participation_leave(*, challenge: Challenge, resident: Resident) -> Participation:
    """Leave a challenge. Points already earned stay; later evidence is refused."""
    updated = Participation.objects.filter(
        challenge=challenge, resident=resident, left_at__isnull=True
    ).update(left_at=timezone.now())
    if not updated:
        raise NotJoined(challenge_id=challenge.pk)
    return Participation.objects.get(challenge=challenge, resident=resident)


@transaction.atomic
def leaderboard_opt(*, challenge: Challenge, resident: Resident, show: bool) -> Participation:
    """Choose whether one's name appears on the challenge's leaderboard (off by default)."""
    updated = Participation.objects.filter(challenge=challenge, resident=resident).update(
        show_on_leaderboard=show
    )
    if not updated:
        raise NotJoined(challenge_id=challenge.pk)
    return Participation.objects.get(challenge=challenge, resident=resident)


@dataclass(frozen=True)
class EvidenceResult:
    evidence: Evidence
    created: bool
    points: int
    remaining_allowance: int | None


def _participation_of(challenge: Challenge, who: str | Resident) -> Participation:
    """The active participation of a resident named by object, mission code or user name."""
    if isinstance(who, Resident):
        participation = (
            Participation.objects.select_for_update().filter(challenge=challenge, resident=who).first()
        )
        if participation is None or participation.left_at is not None:
            raise NotJoined(field="resident", challenge_id=challenge.pk)
        return participation
    text = who.strip()
    participation = (
        Participation.objects.select_for_update().filter(challenge=challenge, code=text.upper()).first()
        if text
        else None
    )
    if participation is None:
        resident = Resident.objects.filter(username=text).first() if text else None
        if resident is None:
            raise UnknownResident(field="resident", who=text)
        participation = (
            Participation.objects.select_for_update().filter(challenge=challenge, resident=resident).first()
        )
    if participation is None or participation.left_at is not None:
        raise NotJoined(field="resident", challenge_id=challenge.pk)
    return participation


def _record(
    *,
    challenge: Challenge,
    participation: Participation,
    key: str,
    quantity: int,
    source: str,
    actor: Resident | None,
) -> EvidenceResult:
    problem = rules.check_evidence_key(key)
    if problem:
        raise InvalidEvidence(field="key", reason=problem)
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 < quantity <= 1_000_000:
        raise InvalidEvidence(field="quantity", reason="a whole number from 1 to 1,000,000")
    existing = Evidence.objects.filter(participation=participation, key=key).first()
    if existing is not None:
        if existing.quantity != quantity:
            raise EvidenceConflict(field="key", key=key)
        return EvidenceResult(existing, False, existing.points, None)
    evidence = Evidence.objects.create(
        participation=participation, key=key, quantity=quantity, source=source, recorded_by=actor
    )
    award = points_services.award(
        resident=participation.resident,
        programme=PROGRAMME,
        action=challenge.action,
        source_key=rules.source_key(challenge.pk, participation.resident_id, key),
        amount=challenge.points_per_unit * quantity,
        cap_scope=str(challenge.pk),
        actor=actor,
        memo=challenge.title,
    )
    Evidence.objects.filter(pk=evidence.pk).update(points=award.amount)
    evidence.points = award.amount
    Participation.objects.filter(pk=participation.pk).update(
        progress=F("progress") + quantity, points_earned=F("points_earned") + award.amount
    )
    if actor is not None and source != ProofMethod.CSV:  # an import is audited once, as a whole
        audit_record(
            actor=actor,
            action="missions.evidence_record",
            target=evidence,
            after={"challenge": challenge.pk, "resident": participation.resident_id, "quantity": quantity},
        )
    return EvidenceResult(evidence, True, award.amount, award.remaining_allowance)


def _check_source(challenge: Challenge, source: str, actor: Resident | None) -> None:
    if challenge.proof_method != source:
        raise WrongProofMethod(challenge_id=challenge.pk)
    if actor is not None and not permissions.may_record_evidence(actor, source, challenge):
        raise PermissionDenied()


@transaction.atomic(durable=True)
def evidence_record(
    *,
    challenge: Challenge,
    who: str | Resident,
    key: str,
    quantity: int = 1,
    source: str = ProofMethod.OPERATOR,
    actor: Resident | None,
) -> EvidenceResult:
    """Record one item of progress for a joined resident and grant its points (capped)."""
    _check_source(challenge, source, actor)
    participation = _participation_of(challenge, who)
    return _record(
        challenge=challenge,
        participation=participation,
        key=key,
        quantity=quantity,
        source=source,
        actor=actor,
    )


@transaction.atomic(durable=True)
def evidence_confirm_code(*, code: str, key: str, quantity: int = 1, actor: Resident) -> EvidenceResult:
    """Partner staff confirm a resident's progress with the mission code the resident shows.

    A code that does not exist and one this desk may not confirm (another partner's challenge,
    a challenge proven another way, a resident who left) get the same answer, so that codes
    cannot be probed from a desk."""
    participation = (
        Participation.objects.select_for_update()
        .select_related("challenge", "resident")
        .filter(code=code.strip().upper())
        .first()
    )
    if (
        participation is None
        or participation.left_at is not None
        or participation.challenge.proof_method != ProofMethod.PARTNER_CODE
        or not permissions.may_record_evidence(actor, ProofMethod.PARTNER_CODE, participation.challenge)
    ):
        raise UnknownResident(field="code", who=code.strip())
    challenge = participation.challenge
    return _record(
        challenge=challenge,
        participation=participation,
        key=key,
        quantity=quantity,
        source=ProofMethod.PARTNER_CODE,
        actor=actor,
    )


@dataclass
class ImportResult:
    added: int = 0
    repeated: int = 0
    points: int = 0
    errors: list[rules.RowError] = field(default_factory=list)


def _resolve_rows(
    challenge: Challenge, rows: list[rules.ImportRow]
) -> tuple[dict[str, Participation], list[rules.RowError]]:
    """Map each row's resident (mission code or user name) to its active participation, in a
    constant number of queries, locking the participations in primary-key order."""
    whos = {row.who for row in rows}
    by_code = {
        p.code: p
        for p in Participation.objects.filter(challenge=challenge, code__in={w.upper() for w in whos})
    }
    names = dict(Resident.objects.filter(username__in=whos).values_list("username", "pk"))
    by_resident = {
        p.resident_id: p
        for p in Participation.objects.filter(challenge=challenge, resident_id__in=names.values())
    }
    found: dict[str, Participation] = {}
    errors: list[rules.RowError] = []
    for row in rows:
        participation = by_code.get(row.who.upper())
        if participation is None and row.who in names:
            participation = by_resident.get(names[row.who])
            if participation is None:
                errors.append(rules.RowError(row.line, NotJoined(challenge_id=challenge.pk).text))
                continue
        if participation is None:
            errors.append(rules.RowError(row.line, UnknownResident(who=row.who).text))
            continue
        if participation.left_at is not None:
            errors.append(rules.RowError(row.line, NotJoined(challenge_id=challenge.pk).text))
            continue
        found[row.who] = participation
    ids = sorted({p.pk for p in found.values()})
    levels = dict(
        Participation.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "resident__level")
    )
    for participation in found.values():
        participation.resident_level = levels[participation.pk]  # type: ignore[attr-defined]
    return found, errors


@transaction.atomic(durable=True)
def evidence_import(*, challenge: Challenge, text: str, actor: Resident | None) -> ImportResult:
    """Import a partner's CSV. Every row is checked first: one bad row refuses the whole file
    (nothing stored); rows already imported are counted as repeated and add nothing. New rows
    are granted through the ledger's bulk path, a constant number of statements per file."""
    _check_source(challenge, ProofMethod.CSV, actor)
    rows, errors = rules.parse_csv(text)
    result = ImportResult(errors=list(errors))
    participations, unresolved = _resolve_rows(challenge, rows)
    result.errors.extend(unresolved)
    known = {
        (e.participation_id, e.key): e.quantity
        for e in Evidence.objects.filter(
            participation_id__in={p.pk for p in participations.values()}, key__in={r.key for r in rows}
        ).only("participation_id", "key", "quantity")
    }
    fresh: list[tuple[rules.ImportRow, Participation]] = []
    seen: set[tuple[int, str]] = set()
    for row in rows:
        participation = participations.get(row.who)
        if participation is None:
            continue
        if (participation.pk, row.key) in seen:
            result.errors.append(rules.RowError(row.line, _("the same evidence appears twice in the file")))
            continue
        seen.add((participation.pk, row.key))
        quantity = known.get((participation.pk, row.key))
        if quantity is None:
            fresh.append((row, participation))
        elif quantity != row.quantity:
            result.errors.append(rules.RowError(row.line, EvidenceConflict(key=row.key).text))
        else:
            result.repeated += 1
    if result.errors or not rows:
        if not result.errors:
            result.errors.append(rules.RowError(1, str(ImportRefused.message)))
        result.errors.sort(key=lambda e: e.line)
        raise ImportRefused(errors=[{"line": e.line, "message": e.message} for e in result.errors])
    awards = points_bulk.award_many(
        programme=PROGRAMME,
        action=challenge.action,
        requests=[
            points_bulk.AwardRequest(
                resident_id=p.resident_id,
                level=p.resident_level,  # type: ignore[attr-defined]
                source_key=rules.source_key(challenge.pk, p.resident_id, row.key),
                amount=challenge.points_per_unit * row.quantity,
                cap_scope=str(challenge.pk),
                memo=challenge.title,
            )
            for row, p in fresh
        ],
        actor=actor,
    )
    Evidence.objects.bulk_create(
        [
            Evidence(
                participation=p,
                key=row.key,
                quantity=row.quantity,
                source=ProofMethod.CSV,
                points=a.amount,
                recorded_by=actor,
            )
            for (row, p), a in zip(fresh, awards, strict=True)
        ]
    )
    totals: dict[int, list[int]] = {}
    for (row, p), a in zip(fresh, awards, strict=True):
        total = totals.setdefault(p.pk, [0, 0])
        total[0] += row.quantity
        total[1] += a.amount
    if totals:
        Participation.objects.filter(pk__in=totals).update(
            progress=F("progress")
            + Case(*[When(pk=pk, then=Value(t[0])) for pk, t in totals.items()], default=Value(0)),
            points_earned=F("points_earned")
            + Case(*[When(pk=pk, then=Value(t[1])) for pk, t in totals.items()], default=Value(0)),
        )
    result.added = len(fresh)
    result.points = sum(a.amount for a in awards)
    audit_record(
        actor=actor,
        action="missions.evidence_import",
        target=challenge,
        after={"added": result.added, "repeated": result.repeated, "points": result.points},
    )
    return result
