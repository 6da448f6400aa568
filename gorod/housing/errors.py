"""Refusals of Electronic Home, each with a stable code."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class NotYourBuilding(PermissionDenied):
    code = "not_building_administrator"
    message = _("You do not administer this building.")


class NotYourMeter(PermissionDenied):
    code = "not_your_meter"
    message = _("This meter is not in a premise linked to you.")


class NotYourBill(PermissionDenied):
    code = "not_your_bill"
    message = _("This bill is not for a premise linked to you.")


class PremiseNotFound(NotFound):
    code = "premise_not_found"
    message = _("There is no such premise.")


class SharesExceedWhole(InvalidInput):
    code = "shares_exceed_whole"
    message = _("The owners' shares of premise %(premise)s would add up to %(total)s, more than 1.")


class InvalidShare(InvalidInput):
    code = "invalid_share"
    message = _("A share must be a fraction greater than 0 and at most 1, such as 1/2.")


class InvalidArea(InvalidInput):
    code = "invalid_area"
    message = _("The area must be a positive number of square metres with at most two decimals.")


class ImportRejected(InvalidInput):
    code = "import_rejected"
    message = _("The file was not imported: %(count)s rows have errors. Nothing was written.")


class ImportFileTooLarge(InvalidInput):
    code = "import_file_too_large"
    message = _("The file is larger than 5 MB.")


class ImportFileUnreadable(InvalidInput):
    code = "import_file_unreadable"
    message = _("The file must be UTF-8 text (CSV) or an XLSX workbook.")


class LinkAlreadyRequested(Conflict):
    code = "link_already_requested"
    message = _("You have already asked to be linked to this premise.")


class LinkNotPending(Conflict):
    code = "link_not_pending"
    message = _("This request was already decided.")


class OwnerNotInRegister(InvalidInput):
    code = "owner_not_in_register"
    message = _("No matching line in the owners register: check the ownership document number.")


class ReadingOutsideWindow(DomainError):
    code = "reading_outside_window"
    message = _("Readings of this meter are taken from day %(start)s to day %(end)s of the month.")
    status = 409


# A reading the document admits (ReadingIn's pattern) may still not fit the meter: its last
# reading, its tariffs, its resource's decimal places, its digits. The meter's, not the request's:
# 409, as a closed window. What is not a reading at all is refused before (422).
class ReadingDecreases(Conflict):
    code = "reading_decreases"
    message = _("The reading is lower than the last accepted one (%(last)s).")

    @property
    def text(self) -> str:
        # The details keep plain digits for programs ("156.4 / 80"); the message writes them as
        # the reader's pages do ("156,4 / 80" in Russian), next to the meter's table of readings.
        last = " / ".join(
            number_format(v, use_l10n=True) for v in str(self.details.get("last", "")).split(" / ")
        )
        return str(self._message if self._message is not None else self.message) % {
            **self.details,
            "last": last,
        }


class ReadingTariffCount(Conflict):
    code = "reading_tariff_count"
    message = _("This meter needs exactly %(expected)s value(s), one per tariff.")


class ReadingNotNumeric(InvalidInput):
    code = "reading_not_numeric"
    message = _("A reading must be a number.")


class ReadingNegative(InvalidInput):
    code = "reading_negative"
    message = _("A reading cannot be negative.")


class ReadingPrecision(Conflict):
    code = "reading_precision"
    message = _("Readings of this meter take at most %(places)s decimal places.")


class ReadingTooLong(Conflict):
    code = "reading_too_long"
    message = _("The meter shows at most %(digits)s digits before the decimal point.")


class MeterArchived(DomainError):
    code = "meter_archived"
    message = _("This meter is archived; readings are no longer taken. Billing uses the average.")
    status = 409


class MeterVerificationOverdue(DomainError):
    code = "meter_verification_overdue"
    message = _(
        "The meter's verification was due on %(due)s; readings are refused until it is verified. "
        "Billing uses the average consumption meanwhile."
    )
    status = 409


class MeterNotFound(NotFound):
    code = "meter_not_found"
    message = _("There is no such meter.")


class BillNotFound(NotFound):
    code = "bill_not_found"
    message = _("There is no such bill.")


class BillAlreadyPaid(Conflict):
    code = "bill_already_paid"
    message = _("This bill is already paid.")


class PaymentAmountInvalid(InvalidInput):
    code = "payment_amount_invalid"
    message = _("The amount must be between 1 kopeck and the %(outstanding)s kopecks still due.")


class PaymentsUnavailable(DomainError):
    code = "payments_unavailable"
    message = _("Online payment is not available: the city has not connected a bank yet.")
    status = 503


class PaymentInProgress(Conflict):
    code = "payment_in_progress"
    message = _("A payment for this bill is already in progress; wait for the bank's answer.")


class CallbackSignatureInvalid(DomainError):
    code = "callback_signature_invalid"
    message = _("The callback signature is not valid.")
    status = 401


class CallbackStale(DomainError):
    code = "callback_stale"
    message = _("The callback is too old or from the future; it may be a replay.")
    status = 401


class PaymentNotFound(NotFound):
    code = "payment_not_found"
    message = _("There is no such payment.")


class PaymentStateBackwards(Conflict):
    code = "payment_state_backwards"
    message = _("A payment cannot move from %(current)s to %(target)s.")


class NotAnOwner(PermissionDenied):
    code = "meeting_not_an_owner"
    message = _("You hold no share in this building's register for this meeting.")


class AccountLevelTooLowToVote(PermissionDenied):
    code = "level_too_low"
    message = _(
        "Voting in an owners' meeting needs a %(required)s account or higher. Your profile says how to raise your level."
    )


class MeetingNotOpen(DomainError):
    code = "meeting_not_open"
    message = _("Voting in this meeting is not open.")
    status = 409


class AlreadyVotedInMeeting(Conflict):
    code = "meeting_already_voted"
    message = _("This vote was already cast; a ballot is final.")


class BallotIncomplete(Conflict):  # the meeting's agenda (the answers' form is checked before)
    code = "meeting_ballot_incomplete"
    message = _("Answer every question of the agenda with for, against or abstain.")


class MeetingNotFound(NotFound):
    code = "meeting_not_found"
    message = _("There is no such meeting.")


class MeetingAgendaEmpty(InvalidInput):
    code = "meeting_agenda_empty"
    message = _("A meeting needs at least one agenda question, each with a threshold.")


class NotAnOwnerToInitiate(PermissionDenied):
    code = "meeting_initiator_not_owner"
    message = _("Only an owner in the building or its administrator may call a meeting.")


class NotBuildingResident(PermissionDenied):
    code = "not_building_resident"
    message = _("Only verified residents of this building may do this.")


class BuildingNotFound(NotFound):
    code = "building_not_found"
    message = _("There is no such building.")


class AnnouncementNotFound(NotFound):
    code = "announcement_not_found"
    message = _("There is no such announcement.")


class AnnouncementEmpty(InvalidInput):
    code = "announcement_empty"
    message = _("Write a title and a text for the announcement.")


class AnnouncementNotPending(Conflict):
    code = "announcement_not_pending"
    message = _("This announcement was already moderated.")


class AnnouncementNotPinned(Conflict):
    code = "announcement_not_pinned"
    message = _("This announcement is not a pinned emergency notice.")


class AnnouncementReasonRequired(InvalidInput):
    code = "announcement_reason_required"
    message = _("Say why the announcement is rejected; the author will see the reason.")


class InvitationInvalid(NotFound):
    code = "invitation_invalid"
    message = _("This invitation link is not valid: check that it was copied in full.")


class InvitationExpired(DomainError):
    code = "invitation_expired"
    message = _("This invitation has expired; ask your neighbour for a new link.")
    status = 410


class InvitationUsed(Conflict):
    code = "invitation_used"
    message = _("This invitation was already used; each link admits one neighbour.")


class InvitationOwn(Conflict):
    code = "invitation_own"
    message = _("You cannot accept your own invitation.")


class InvitationAlreadyResident(Conflict):
    code = "invitation_already_resident"
    message = _("You are already linked to a premise in this building or waiting for confirmation.")


class BillExists(Conflict):
    code = "bill_exists"
    message = _("This premise already has a bill for that month.")


class BillLinesInvalid(InvalidInput):
    code = "bill_lines_invalid"
    message = _("A bill needs at least one line, each with a service and an amount above zero.")


class ScanNotAccepted(InvalidInput):
    code = "scan_not_accepted"
    message = _("Upload the scan as a PDF, JPEG or PNG file.")


class ProxyAlreadyHolds(Conflict):
    code = "proxy_already_holds"
    message = _("This person already votes for this owner.")


class ProxyNotFound(NotFound):
    code = "proxy_not_found"
    message = _("No resident with this login, e-mail or phone number.")


class MeetingNotElectronic(Conflict):
    code = "meeting_not_electronic"
    message = _(
        "This meeting is not held by electronic voting; hand your ballot to the administrator, who enters it."
    )


class MeetingFormInvalid(InvalidInput):
    code = "meeting_form_invalid"
    message = _("Choose the form of the meeting: in person, absentee, mixed or electronic voting.")


class MaterialNotAccepted(InvalidInput):
    code = "meeting_material_not_accepted"
    message = _("Materials are PDF, Word, Excel, JPEG or PNG files of at most 20 MB each.")


class BallotEntryNotHeld(PermissionDenied):
    code = "meeting_entry_not_held"
    message = _("You do not vote for this premise in this meeting.")


class MeetingMaterialsClosed(Conflict):
    code = "meeting_materials_closed"
    message = _("Materials can be added only before voting starts.")


class MeetingNotFinished(Conflict):
    code = "meeting_not_finished"
    message = _("The results and the protocol are published when voting ends.")


class RegisterEntryNotFound(NotFound):
    code = "meeting_entry_not_found"
    message = _("There is no such line in this meeting's register.")


class NotABuildingAdministrator(InvalidInput):
    code = "not_a_building_administrator_role"
    message = _("This person does not have the building administrator role.")


class OwnershipAlreadyEnded(Conflict):
    code = "ownership_already_ended"
    message = _("This ownership has already ended.")


class MeterSerialTaken(Conflict):
    code = "meter_serial_taken"
    message = _("The building already has a meter of this resource with this serial number.")


class WindowDaysInvalid(InvalidInput):
    code = "reading_window_days"
    message = _("Window days are from 1 to 28.")


class SurveyNotAllowed(PermissionDenied):
    code = "survey_not_allowed"
    message = _("Only verified residents of this building or its administrator may start a survey of it.")


class SurveyIncomplete(InvalidInput):
    code = "survey_incomplete"
    message = _("A survey needs a title and questions, each with at least two different answers.")


class LinkNotFound(NotFound):
    code = "link_not_found"
    message = _("There is no such link request.")


class ReadingImportColumns(InvalidInput):
    code = "readings_import_columns"
    message = _("The file needs the columns %(columns)s in its first row.")


class ResidentNotFound(NotFound):
    code = "resident_not_found"
    message = _("No resident has this e-mail or phone number.")


class MeterSerialAmbiguous(InvalidInput):
    code = "meter_serial_ambiguous"
    message = _("Meters of several resources have this serial number; fill in the resource column.")


class ReadingMeterTwice(InvalidInput):
    code = "reading_meter_twice"
    message = _("This meter already has a reading earlier in the same file.")


class BuildingAddressTaken(Conflict):
    code = "building_address_taken"
    message = _("A building with this address is already in the directory.")


class PremiseNumberTaken(Conflict):
    code = "premise_number_taken"
    message = _("The building already has a premise with this number.")


class NotBuildingStaff(PermissionDenied):
    code = "not_building_staff"
    message = _("Only the city operator or a management organisation's administrator may add a building.")


class MeterResetKindInvalid(InvalidInput):
    code = "meter_reset_kind"
    message = _("A meter reset is a replacement or a rollover.")
