from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gorod.accounts import roles


class VotingConfig(AppConfig):
    name = "gorod.voting"
    label = "voting"
    verbose_name = _("Active Citizen")
    nav_items = [
        (_("Votes"), "voting:polls", "all"),
        (_("Decisions map"), "voting:decisions", "all"),
        (_("Quizzes and quests"), "voting:quizzes", "all"),
        (_("Pulse of the capital"), "voting:pulse", "all"),
        (_("Public discussions"), "voting:discussions", "all"),
        (_("Comment moderation"), "voting:discussion_moderation", (roles.MODERATOR, roles.OPERATOR)),
        (_("Photo contests"), "voting:contests", "all"),
        (_("Photo moderation"), "voting:contest_moderation", (roles.MODERATOR, roles.OPERATOR)),
        (_("Participatory budget"), "voting:budgets", "all"),
    ]
    moderator_models = ("discussioncomment", "contestphoto")

    def ready(self) -> None:
        from gorod.accounts.idempotency import register_unkept_body
        from gorod.voting import checks  # noqa: F401  (registers the deployment checks)

        # a ballot's body is its choices: never kept, not even hashed, next to the resident
        register_unkept_body(r"^/api/v\d+/polls/\d+/ballot/?$")
