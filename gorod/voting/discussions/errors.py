"""Refusals of public discussions and photo contests, each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied


class DiscussionNotFound(NotFound):
    code = "discussion_not_found"
    message = _("There is no such public discussion.")


class DiscussionNotOpenYet(Conflict):
    code = "discussion_not_open"
    message = _("Comments on this project are not open yet.")


class DiscussionClosed(Conflict):
    code = "discussion_closed"
    message = _("The discussion of this project has ended; comments are closed.")


class DiscussionNotForYourDistrict(PermissionDenied):
    code = "discussion_not_for_your_district"
    message = _("Only residents of the districts this project affects can comment on it.")


class CommentEmpty(InvalidInput):
    code = "comment_empty"
    message = _("Write a comment first.")


class CommentTooLong(InvalidInput):
    code = "comment_too_long"
    message = _("The comment is too long (at most %(maximum)s characters).")


class CommentNotFound(NotFound):
    code = "comment_not_found"
    message = _("There is no such comment.")


class CommentAlreadyModerated(Conflict):
    code = "comment_already_moderated"
    message = _("This comment has already been moderated.")


class RejectReasonRequired(InvalidInput):
    code = "reject_reason_required"
    message = _("Give the author a reason for the rejection.")


class CommentNotPublished(Conflict):
    code = "comment_not_published"
    message = _("Only published comments get a response.")


class ResponseEmpty(InvalidInput):
    code = "response_empty"
    message = _("Write the response first.")


class DiscussionWindowInvalid(InvalidInput):
    code = "discussion_window_invalid"
    message = _("The discussion must close after it opens.")


class DistrictsRequired(InvalidInput):
    code = "districts_required"
    message = _("Choose at least one affected district.")


class TitleRequired(InvalidInput):
    code = "title_required"
    message = _("Give a title and a description.")


class DocumentInvalid(InvalidInput):
    code = "document_invalid"
    message = _("A document must be a PDF file or a JPEG or PNG image.")


class DocumentTooLarge(InvalidInput):
    code = "document_too_large"
    message = _("A document may be at most %(maximum_mb)s MB.")


class ReportNotReady(Conflict):
    code = "report_not_ready"
    message = _("The final report is available once the discussion has ended.")
