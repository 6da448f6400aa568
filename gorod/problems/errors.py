"""Refusals of Our City, each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gorod.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied


class IllegalTransition(Conflict):
    code = "illegal_transition"
    message = _("A report in state “%(status)s” cannot be moved by “%(action)s”.")


class OutsideCity(InvalidInput):
    code = "outside_city"
    message = _("The place is outside the city.")
    status = 409  # the city's data decides, not the request's shape


class UnknownTopic(InvalidInput):
    code = "unknown_topic"
    message = _("There is no such topic.")
    status = 409  # the city's data decides, not the request's shape


class TopicOutOfSeason(InvalidInput):
    code = "topic_out_of_season"
    message = _("This topic is not offered in this season.")
    status = 409  # the city's data decides, not the request's shape


class PhotoRequired(InvalidInput):
    code = "photo_required"
    message = _("This topic needs at least one photo.")
    status = 409  # the city's data decides, not the request's shape


class TooManyPhotos(InvalidInput):
    code = "too_many_photos"
    message = _("At most %(maximum)s photos may be attached.")


class NotAnImage(InvalidInput):
    code = "not_an_image"
    message = _("The file is not a JPEG, PNG or WebP image.")
    status = 415  # not a photo the platform reads (Unsupported Media Type)


class PhotoTooLarge(InvalidInput):
    code = "photo_too_large"
    message = _("A photo may be at most %(maximum_mb)s MB.")


class TextTooShort(InvalidInput):
    code = "text_too_short"
    message = _("Describe the problem in at least %(minimum)s characters.")


class DailyLimitReached(DomainError):
    code = "daily_limit_reached"
    message = _("You have filed %(limit)s reports today; please continue tomorrow.")
    status = 429


class ReportNotFound(NotFound):
    code = "report_not_found"
    message = _("There is no such report.")


class AnswerNotFound(NotFound):
    code = "answer_not_found"
    message = _("There is no such answer.")


class NotModerator(PermissionDenied):
    code = "not_moderator"
    message = _("Only a moderator may do this.")


class NotOperator(PermissionDenied):
    code = "not_operator"
    message = _("Only a city operator may do this.")


class NotResponsible(PermissionDenied):
    code = "not_responsible"
    message = _("This report belongs to another organisation.")


class NoOrganisation(Conflict):
    code = "no_organisation"
    message = _("No responsible organisation covers this place and topic.")


class ReasonRequired(InvalidInput):
    code = "reason_required"
    message = _("Give a reason.")


class NotYourReport(PermissionDenied):
    code = "not_your_report"
    message = _("Only residents of the district or followers of the report may rate it.")


class AlreadyRated(Conflict):
    code = "already_rated"
    message = _("You have already rated this answer.")


class RatingWindowClosed(Conflict):
    code = "rating_window_closed"
    message = _("The time to rate this answer has passed.")


class NothingToRate(Conflict):
    code = "nothing_to_rate"
    message = _("This report has no published answer to rate.")


class BadScore(InvalidInput):
    code = "bad_score"
    message = _("A score is a whole number from 1 to 5.")


class VerdictRequired(InvalidInput):
    code = "verdict_required"
    message = _("Say whether the problem is solved.")
    status = 409  # the report's state decides, not the request's shape


class CannotFollow(Conflict):
    code = "cannot_follow"
    message = _("You can join only an open report of someone else.")


class AlreadyFollowing(Conflict):
    code = "already_following"
    message = _("You already follow this report.")


class LevelTooLow(PermissionDenied):
    code = "level_too_low"
    message = _("Confirm your account to file reports.")


class BadCursor(InvalidInput):
    code = "bad_cursor"
    message = _("This page link is not valid: open the list from its first page.")
    status = 400


class AddressQueryTooShort(InvalidInput):
    code = "address_query_too_short"
    message = _("Type at least %(minimum)s letters or digits of the address.")


class PlaceMissing(InvalidInput):
    code = "place_missing"
    message = _("Choose the address from the suggestions or mark the place on the map.")
