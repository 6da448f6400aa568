"""Writes for the catalogue side: partners and their staff, charity funds, promo code pools."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce

from gorod.accounts import roles
from gorod.accounts.models import Resident
from gorod.accounts.services import audit_record
from gorod.points import accounts as points_accounts
from gorod.rewards import rules
from gorod.rewards.errors import NotAPromoCodeReward, StaffAlreadyAssigned
from gorod.rewards.models import CharityFund, Partner, PartnerStaff, PromoCode, Reward, RewardKind


@transaction.atomic
def partner_create(*, name: str, actor: Resident | None = None, **fields: object) -> Partner:
    """A partner with its settlement account in the ledger (``partner:<id>``)."""
    partner = Partner.objects.create(name=name, **fields)
    partner_account_open(partner=partner)
    audit_record(actor=actor, action="rewards.partner_create", target=partner, after={"name": name})
    return partner


def partner_account_open(*, partner: Partner) -> None:
    """Link the partner to its ledger account (idempotent; used on create and by the console)."""
    if partner.ledger_account_id is None:
        account = points_accounts.partner_account(partner.pk, partner.name)
        Partner.objects.filter(pk=partner.pk).update(ledger_account=account)
        partner.ledger_account = account


@transaction.atomic
def fund_create(*, name: str, outcome: str, actor: Resident | None = None, **fields: object) -> CharityFund:
    fund = CharityFund.objects.create(name=name, outcome=outcome, **fields)
    fund_account_open(fund=fund)
    audit_record(actor=actor, action="rewards.fund_create", target=fund, after={"name": name})
    return fund


def fund_account_open(*, fund: CharityFund) -> None:
    if fund.ledger_account_id is None:
        account = points_accounts.charity_account(fund.pk, fund.name)
        CharityFund.objects.filter(pk=fund.pk).update(ledger_account=account)
        fund.ledger_account = account


@transaction.atomic
def partner_staff_assign(
    *, partner: Partner, resident: Resident, actor: Resident | None = None
) -> PartnerStaff:
    """Make a resident a member of a partner's desk staff (and give them the partner_staff role)."""
    existing = PartnerStaff.objects.filter(resident=resident).first()
    if existing is not None:
        if existing.partner_id == partner.pk:
            return existing
        raise StaffAlreadyAssigned(field="resident")
    try:
        with transaction.atomic():
            staff = PartnerStaff.objects.create(partner=partner, resident=resident)
    except IntegrityError:
        raise StaffAlreadyAssigned(field="resident") from None
    resident.groups.add(Group.objects.get_or_create(name=roles.PARTNER_STAFF)[0])
    audit_record(
        actor=actor,
        action="rewards.staff_assign",
        target=staff,
        after={"partner": partner.pk, "resident": resident.pk},
    )
    return staff


@transaction.atomic
def partner_staff_remove(*, staff: PartnerStaff, actor: Resident | None = None) -> None:
    resident = staff.resident
    audit_record(
        actor=actor,
        action="rewards.staff_remove",
        target=staff,
        before={"partner": staff.partner_id, "resident": resident.pk},
    )
    staff.delete()
    group = Group.objects.filter(name=roles.PARTNER_STAFF).first()
    if group is not None:
        resident.groups.remove(group)


@transaction.atomic
def promo_codes_upload(*, reward: Reward, raw: bytes | str, actor: Resident | None = None) -> int:
    """Add a CSV of codes to a promo code reward's pool; stock grows by the new codes. Returns that number."""
    if reward.kind != RewardKind.PROMO_CODE:
        raise NotAPromoCodeReward(field="reward")
    codes = rules.parse_promo_codes(raw)
    # Lock the reward so two uploads of overlapping files cannot both count the same code.
    Reward.objects.select_for_update().filter(pk=reward.pk).first()
    existing: set[str] = set()
    for start in range(0, len(codes), 2000):
        existing.update(
            PromoCode.objects.filter(reward=reward, code__in=codes[start : start + 2000]).values_list(
                "code", flat=True
            )
        )
    new = [code for code in codes if code not in existing]
    PromoCode.objects.bulk_create([PromoCode(reward=reward, code=code) for code in new], batch_size=2000)
    Reward.objects.filter(pk=reward.pk).update(stock=Coalesce(F("stock"), 0) + len(new))
    audit_record(actor=actor, action="rewards.promo_codes_upload", target=reward, after={"added": len(new)})
    return len(new)
