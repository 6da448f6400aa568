"""Account deletion: personal data erased, history kept under a pseudonym.

The resident row stays (the ledger, ballots' participations, reports and orders point at it) but
loses everything that identifies a person: names, e-mail, phone, login, password, home district.
Tokens, stored API answers, notifications and preferences are deleted, and so is what the
services keep about the person (``services_traces``: car plate, flat link, register name, pet
messages, photo GPS, sign-in records). The ledger is untouched, so
every total still adds up (``points_check``); ballots carry no link to voters, so they stay
counted and unlinkable. Free text a resident wrote elsewhere (a report's text) stays with the
pseudonymous account; public views mask contacts in it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from gorod.accounts.models import ApiToken, IdempotencyRecord, Resident
from gorod.accounts.services import audit_record
from gorod.core.cache import shared_cache
from gorod.core.logs import log_action
from gorod.missions.models import Participation as MissionParticipation
from gorod.notifications.models import Notification, Preference
from gorod.privacy import rules
from gorod.privacy.errors import AlreadyErased
from gorod.privacy.services_traces import traces_erase


@transaction.atomic(durable=True)
def resident_erase(*, resident: Resident, actor: Resident | None = None, reason: str = "") -> Resident:
    """Erase a resident's personal data (their own request, or an operator's on their behalf)."""
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    if locked.erased_at is not None:
        raise AlreadyErased()
    traces_erase(locked, rules.pseudonym(locked.pk))
    locked.username = rules.pseudonym(locked.pk)
    locked.first_name = ""
    locked.last_name = ""
    locked.email = None
    locked.phone = None
    locked.home_district = None
    locked.consents_to_notifications = False
    locked.is_active = False
    locked.is_staff = False
    locked.is_superuser = False
    locked.set_unusable_password()
    locked.erased_at = timezone.now()
    locked.save()
    locked.groups.clear()
    ApiToken.objects.filter(resident=locked).delete()
    shared_cache.bump(shared_cache.ACCESS)
    IdempotencyRecord.objects.filter(resident=locked).delete()
    Notification.objects.filter(resident=locked).delete()
    Preference.objects.filter(resident=locked).delete()
    MissionParticipation.objects.filter(resident=locked).update(show_on_leaderboard=False)
    audit_record(
        actor=actor or locked, action="resident_erased", target=locked, reason=reason or "own request"
    )
    log_action("resident_erased", resident_id=locked.pk)
    return locked
