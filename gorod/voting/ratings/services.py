"""Rating city novelties: once per resident and item, 1–5, points per rating up to a daily cap."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from gorod.accounts.models import Resident
from gorod.core.errors import Conflict, InvalidInput, NotFound
from gorod.points import services as points_services
from gorod.voting.ratings.models import RatedItem, Rating

COMMENT_MAX = 1000


class ItemNotFound(NotFound):
    code = "item_not_found"
    message = _("There is no such item to rate.")


class ScoreInvalid(InvalidInput):
    code = "score_invalid"
    message = _("A rating is a whole number from 1 to 5.")


class CommentTooLong(InvalidInput):
    code = "comment_too_long"
    message = _("The comment is too long (at most %(maximum)s characters).")


class AlreadyRated(Conflict):
    code = "already_rated"
    message = _("You have already rated this item.")


@transaction.atomic(durable=True)
def rating_cast(*, item_id: int, resident: Resident, score: int, comment: str = "") -> tuple[Rating, int]:
    """Rate a published item once; points by the novelty_rating rule (daily cap clamps)."""
    if not RatedItem.objects.filter(pk=item_id, published=True).exists():
        raise ItemNotFound(item_id=item_id)
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ScoreInvalid(field="score")
    if len(comment) > COMMENT_MAX:
        raise CommentTooLong(field="comment", maximum=COMMENT_MAX)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                item_id=item_id, resident=resident, score=score, comment=comment.strip()
            )
    except IntegrityError:
        raise AlreadyRated(item_id=item_id) from None
    award = points_services.award(
        resident=resident,
        programme="active_citizen",
        action="novelty_rating",
        source_key=f"rating:{item_id}:{resident.pk}",
    )
    return rating, award.amount
