from __future__ import annotations

import datetime as dt

import pytest

from gorod.accounts.models import AuditEntry
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.core.errors import PermissionDenied
from gorod.core.time import city_today
from gorod.missions import selectors, services
from gorod.missions.errors import (
    AlreadyJoined,
    ChallengeNotOpen,
    EvidenceConflict,
    ImportRefused,
    InvalidEvidence,
    NotEligible,
    NotJoined,
    UnknownResident,
    WrongProofMethod,
)
from gorod.missions.models import Evidence, Participation, ProofMethod
from gorod.missions.tests.conftest import make_challenge
from gorod.points import selectors as points_selectors
from gorod.points.models import Transfer

pytestmark = pytest.mark.django_db(transaction=False)


def test_join_and_leave_then_rejoin(challenge, resident):
    p = services.participation_join(challenge=challenge, resident=resident)
    assert p.code.startswith("M") and len(p.code) == 8
    services.participation_leave(challenge=challenge, resident=resident)
    assert Participation.objects.get(pk=p.pk).left_at is not None
    again = services.participation_join(challenge=challenge, resident=resident)
    assert again.pk == p.pk and again.left_at is None


def test_joining_twice_is_refused(challenge, resident):
    services.participation_join(challenge=challenge, resident=resident)
    with pytest.raises(AlreadyJoined):
        services.participation_join(challenge=challenge, resident=resident)
    assert Participation.objects.count() == 1


def test_level_below_minimum_is_refused_and_nothing_stored(db):
    challenge = make_challenge(min_level="full")
    with pytest.raises(NotEligible) as info:
        services.participation_join(challenge=challenge, resident=ResidentFactory(level="standard"))
    assert info.value.code == "challenge_not_eligible"
    assert not Participation.objects.exists()


def test_other_district_is_refused(db):
    home, other = DistrictFactory(), DistrictFactory()
    challenge = make_challenge(districts=[home])
    with pytest.raises(NotEligible):
        services.participation_join(challenge=challenge, resident=ResidentFactory(home_district=other))
    services.participation_join(challenge=challenge, resident=ResidentFactory(home_district=home))
    assert Participation.objects.count() == 1


def test_closed_challenge_is_refused(db, resident):
    today = city_today()
    past = make_challenge(starts_on=today - dt.timedelta(days=10), ends_on=today - dt.timedelta(days=1))
    with pytest.raises(ChallengeNotOpen):
        services.participation_join(challenge=past, resident=resident)
    assert not Participation.objects.exists()


def test_leaving_without_joining_is_refused(challenge, resident):
    with pytest.raises(NotJoined):
        services.participation_leave(challenge=challenge, resident=resident)


def test_points_land_per_step_up_to_the_cap_with_remaining_shown(challenge, resident, operator):
    services.participation_join(challenge=challenge, resident=resident)
    results = [
        services.evidence_record(challenge=challenge, who=resident, key=f"norm-{n}", actor=operator)
        for n in range(1, 18)
    ]
    assert [r.points for r in results[:15]] == [1000] * 15
    assert [r.points for r in results[15:]] == [0, 0]
    assert results[13].remaining_allowance == 1000
    assert results[14].remaining_allowance == 0
    assert points_selectors.balance(resident).balance == 15_000
    p = Participation.objects.get(resident=resident)
    assert p.progress == 17 and p.points_earned == 15_000
    view = selectors.challenge_view(challenge, resident)
    assert view.cap == 15_000 and view.remaining_allowance == 0
    assert Transfer.objects.filter(source_key=f"mission:{challenge.pk}:{resident.pk}:norm-1").exists()


def test_reading_marathon_caps_at_fifty_thousand(db, resident, operator):
    challenge = make_challenge(action="reading_marathon", points_per_unit=30_000, unit="books")
    services.participation_join(challenge=challenge, resident=resident)
    first = services.evidence_record(challenge=challenge, who=resident, key="b1", actor=operator)
    second = services.evidence_record(challenge=challenge, who=resident, key="b2", actor=operator)
    assert (first.points, second.points, second.remaining_allowance) == (30_000, 20_000, 0)


def test_same_evidence_twice_adds_nothing(challenge, resident, operator):
    services.participation_join(challenge=challenge, resident=resident)
    services.evidence_record(challenge=challenge, who=resident, key="norm-1", actor=operator)
    again = services.evidence_record(challenge=challenge, who=resident, key="norm-1", actor=operator)
    assert not again.created
    assert Evidence.objects.count() == 1
    assert points_selectors.balance(resident).balance == 1000
    assert Participation.objects.get(resident=resident).progress == 1


def test_same_evidence_with_another_quantity_is_refused(challenge, resident, operator):
    services.participation_join(challenge=challenge, resident=resident)
    services.evidence_record(challenge=challenge, who=resident, key="norm-1", actor=operator)
    with pytest.raises(EvidenceConflict):
        services.evidence_record(challenge=challenge, who=resident, key="norm-1", quantity=2, actor=operator)
    assert Participation.objects.get(resident=resident).progress == 1


def test_evidence_for_someone_not_joined_is_refused_and_nothing_stored(challenge, resident, operator):
    with pytest.raises(NotJoined):
        services.evidence_record(challenge=challenge, who=resident, key="norm-1", actor=operator)
    with pytest.raises(NotJoined):
        services.evidence_record(challenge=challenge, who=resident.username, key="norm-1", actor=operator)
    assert not Evidence.objects.exists() and not Transfer.objects.exists()


def test_evidence_after_leaving_is_refused(challenge, resident, operator):
    services.participation_join(challenge=challenge, resident=resident)
    services.participation_leave(challenge=challenge, resident=resident)
    with pytest.raises(NotJoined):
        services.evidence_record(challenge=challenge, who=resident, key="norm-1", actor=operator)
    assert not Evidence.objects.exists()


def test_evidence_for_unknown_resident_is_refused(challenge, operator):
    with pytest.raises(UnknownResident) as info:
        services.evidence_record(challenge=challenge, who="nobody-here", key="norm-1", actor=operator)
    assert info.value.code == "unknown_resident"
    assert not Evidence.objects.exists()


def test_bad_reference_and_quantity_are_refused(challenge, resident, operator):
    services.participation_join(challenge=challenge, resident=resident)
    for key, quantity in (("has space", 1), ("x" * 65, 1), ("ok", 0)):
        with pytest.raises(InvalidEvidence):
            services.evidence_record(
                challenge=challenge, who=resident, key=key, quantity=quantity, actor=operator
            )
    assert not Evidence.objects.exists()


def test_residents_and_partner_staff_may_not_enter_operator_evidence(challenge, resident, partner_staff):
    services.participation_join(challenge=challenge, resident=resident)
    for actor in (resident, partner_staff):
        with pytest.raises(PermissionDenied):
            services.evidence_record(challenge=challenge, who=resident, key="norm-1", actor=actor)
    assert not Evidence.objects.exists()


def test_wrong_proof_method_is_refused(challenge, resident, operator):
    services.participation_join(challenge=challenge, resident=resident)
    with pytest.raises(WrongProofMethod):
        services.evidence_import(challenge=challenge, text="resident,evidence\nx,y\n", actor=operator)
    assert not Evidence.objects.exists()


def test_operator_entry_is_audited(challenge, resident, operator):
    services.participation_join(challenge=challenge, resident=resident)
    services.evidence_record(challenge=challenge, who=resident, key="norm-1", actor=operator)
    assert AuditEntry.objects.filter(action="missions.evidence_record", actor=operator).count() == 1


def test_simplified_account_progresses_but_earns_nothing(db, operator):
    challenge = make_challenge(min_level="simplified")
    vera = ResidentFactory(level="simplified")
    services.participation_join(challenge=challenge, resident=vera)
    result = services.evidence_record(challenge=challenge, who=vera, key="n1", actor=operator)
    assert result.points == 0
    assert Participation.objects.get(resident=vera).progress == 1


# --- partner CSV import ---------------------------------------------------------------


@pytest.fixture
def csv_challenge(db, partner_staff):
    return make_challenge(
        proof_method=ProofMethod.CSV, action="reading_marathon", unit="books", confirmers=[partner_staff]
    )


def test_reimported_csv_adds_nothing_twice(csv_challenge, resident, partner_staff):
    other = ResidentFactory()
    p = services.participation_join(challenge=csv_challenge, resident=resident)
    services.participation_join(challenge=csv_challenge, resident=other)
    text = f"resident,evidence,quantity\n{p.code},book-1,1\n{other.username},book-1,2\n"
    first = services.evidence_import(challenge=csv_challenge, text=text, actor=partner_staff)
    assert (first.added, first.repeated, first.points) == (2, 0, 3000)
    again = services.evidence_import(
        challenge=csv_challenge, text=text + f"{p.code},book-2,1\n", actor=partner_staff
    )
    assert (again.added, again.repeated, again.points) == (1, 2, 1000)
    assert Evidence.objects.count() == 3
    assert points_selectors.balance(resident).balance == 2000
    assert points_selectors.balance(other).balance == 2000


def test_csv_with_one_bad_row_stores_nothing(csv_challenge, resident, partner_staff):
    services.participation_join(challenge=csv_challenge, resident=resident)
    stranger = ResidentFactory()
    text = (
        "resident,evidence,quantity\n"
        f"{resident.username},book-1,1\n"
        "ghost,book-2,1\n"
        f"{stranger.username},book-3,1\n"
        f"{resident.username},bad key,1\n"
        f"{resident.username},book-4,-3\n"
    )
    with pytest.raises(ImportRefused) as info:
        services.evidence_import(challenge=csv_challenge, text=text, actor=partner_staff)
    lines = [e["line"] for e in info.value.details["errors"]]
    assert lines == [3, 4, 5, 6]
    assert not Evidence.objects.exists() and not Transfer.objects.exists()


def test_csv_without_header_or_rows_is_refused(csv_challenge, partner_staff):
    for text in ("a,b\n1,2\n", "resident,evidence\n"):
        with pytest.raises(ImportRefused):
            services.evidence_import(challenge=csv_challenge, text=text, actor=partner_staff)


def test_resident_may_not_import(csv_challenge, resident):
    with pytest.raises(PermissionDenied):
        services.evidence_import(challenge=csv_challenge, text="resident,evidence\nx,y\n", actor=resident)


# --- partner staff with a code -----------------------------------------------------------


def test_partner_staff_confirm_with_code(db, resident, partner_staff):
    challenge = make_challenge(
        proof_method=ProofMethod.PARTNER_CODE, points_per_unit=100, unit="km", confirmers=[partner_staff]
    )
    p = services.participation_join(challenge=challenge, resident=resident)
    result = services.evidence_confirm_code(
        code=p.code.lower(), key="run-1", quantity=12, actor=partner_staff
    )
    assert result.points == 1200
    with pytest.raises(UnknownResident):
        services.evidence_confirm_code(code="MXXXXXXX", key="run-2", actor=partner_staff)
    with pytest.raises(UnknownResident):  # valid code, desk not allowed: the same answer
        services.evidence_confirm_code(code=p.code, key="run-3", actor=resident)
    assert Evidence.objects.count() == 1


def test_code_for_operator_challenge_is_refused(challenge, resident, partner_staff):
    p = services.participation_join(challenge=challenge, resident=resident)
    with pytest.raises(UnknownResident):  # as if the code did not exist: codes cannot be probed
        services.evidence_confirm_code(code=p.code, key="n-1", actor=partner_staff)
    assert not Evidence.objects.exists()


# --- leaderboard ---------------------------------------------------------------------------


def test_leaderboard_lists_only_those_who_opt_in(challenge, operator):
    shy, proud = ResidentFactory(first_name="Shy"), ResidentFactory(first_name="Proud")
    for r in (shy, proud):
        services.participation_join(challenge=challenge, resident=r)
        services.evidence_record(challenge=challenge, who=r, key="n1", actor=operator)
    services.leaderboard_opt(challenge=challenge, resident=proud, show=True)
    board = selectors.leaderboard(challenge)
    assert [row.name for row in board] == [proud.public_name]


def test_leaderboard_opt_without_joining_is_refused(challenge, resident):
    with pytest.raises(NotJoined):
        services.leaderboard_opt(challenge=challenge, resident=resident, show=True)


def test_same_resident_by_code_and_name_twice_in_a_file_is_refused(csv_challenge, resident, partner_staff):
    p = services.participation_join(challenge=csv_challenge, resident=resident)
    text = f"resident,evidence\n{p.code},b1\n{resident.username},b1\n"
    with pytest.raises(ImportRefused):
        services.evidence_import(challenge=csv_challenge, text=text, actor=partner_staff)
    assert not Evidence.objects.exists()
