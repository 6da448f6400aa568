"""Refusals of photo contests, each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class ContestNotFound(NotFound):
    code = "contest_not_found"
    message = _("There is no such photo contest.")


class UploadsNotOpen(Conflict):
    code = "contest_uploads_not_open"
    message = _("Photos for this contest are not accepted yet.")


class UploadsClosed(Conflict):
    code = "contest_uploads_closed"
    message = _("Photos for this contest are no longer accepted.")


class VotingNotOpen(Conflict):
    code = "contest_voting_not_open"
    message = _("Voting in this contest has not started yet.")


class VotingClosed(Conflict):
    code = "contest_voting_closed"
    message = _("Voting in this contest has ended.")


class NotAnImage(InvalidInput):
    code = "photo_not_an_image"
    message = _("The file is not a JPEG, PNG or WebP photo.")
    status = 415  # not a photo the platform reads (Unsupported Media Type)


class PhotoTooLarge(InvalidInput):
    code = "photo_too_large"
    message = _("A photo may be at most %(maximum_mb)s MB.")


class EntryLimitReached(Conflict):
    code = "contest_entry_limit"
    message = _("You have already sent %(maximum)s photos to this contest.")


class PhotoNotFound(NotFound):
    code = "photo_not_found"
    message = _("There is no such photo.")


class OwnPhoto(PermissionDenied):
    code = "photo_own"
    message = _("You cannot vote for your own photo.")


class AlreadyVotedForPhoto(Conflict):
    code = "photo_already_voted"
    message = _("You have already voted for this photo.")


class PhotoAlreadyModerated(Conflict):
    code = "photo_already_moderated"
    message = _("This photo has already been moderated.")


class PhotoRejectReasonRequired(InvalidInput):
    code = "reject_reason_required"
    message = _("Give the author a reason for the rejection.")


class VotingNotFinished(Conflict):
    code = "contest_voting_not_finished"
    message = _("Winners are chosen once voting has ended.")


class WinnersAlreadyMarked(Conflict):
    code = "contest_winners_marked"
    message = _("The winners of this contest have already been marked.")


class WinnerInvalid(InvalidInput):
    code = "contest_winner_invalid"
    message = _("Choose one or more published photos of this contest as winners.")


class ContestWindowsInvalid(InvalidInput):
    code = "contest_windows_invalid"
    message = _(
        "Each window must close after it opens, and voting must not start before uploads or end before them."
    )


class ContestTitleRequired(InvalidInput):
    code = "contest_title_required"
    message = _("Give the contest a title and a theme.")
