"""API parity: every page of the site that takes a form (a view that handles POST) either has its
operation in /api/v1 or is listed below with the reason it has none. A new form without either
fails here, so the gap between the pages and the API cannot reopen unnoticed; a stale entry
(a page or an operation that no longer exists) fails too."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

NOT_THE_SITE = ("api/", "console/", "open311/", "i18n/", "healthz", "readyz", "metrics")

# The site's form -> the API operation that does the same ("METHOD /api/v1/path").
SITE_TO_API: dict[str, str] = {
    "notifications:mark_read": "POST /api/v1/notifications/read",
    "notifications:preferences": "PUT /api/v1/notifications/preferences",
    "voting:ballot": "POST /api/v1/polls/{poll_id}/ballot",
    "voting:quiz_take": "POST /api/v1/quizzes/{quiz_id}/attempt",
    "voting:quest_task": "POST /api/v1/quests/{quest_id}/tasks/{task_id}",
    "voting:pulse_rate": "POST /api/v1/ratings/items/{item_id}",
    "voting:discussion_comment": "POST /api/v1/discussions/{discussion_id}/comments",
    "voting:comment_moderate": "POST /api/v1/discussions/comments/{comment_id}/moderation",
    "voting:comment_respond": "POST /api/v1/discussions/comments/{comment_id}/response",
    "voting:contest_photo_post": "POST /api/v1/contests/{contest_id}/photos",
    "voting:contest_winners": "POST /api/v1/contests/{contest_id}/winners",
    "voting:contest_photo_vote": "POST /api/v1/contests/photos/{photo_id}/vote",
    "voting:contest_photo_moderate": "POST /api/v1/contests/photos/{photo_id}/moderation",
    "voting:budget_advance": "POST /api/v1/budgets/{round_id}/advance",
    "ideas:to_budget": "POST /api/v1/ideas/{idea_id}/budget-project",
    "voting:budget_project_review": "POST /api/v1/budgets/projects/{project_id}/review",
    "voting:budget_project_place": "POST /api/v1/budgets/projects/{project_id}/place",
    "voting:budget_project_image_add": "POST /api/v1/budgets/projects/{project_id}/images",
    "voting:budget_project_image_remove": "DELETE /api/v1/budgets/projects/{project_id}/images/{image_id}",
    "problems:new": "POST /api/v1/problems/reports",
    "problems:follow": "POST /api/v1/problems/reports/{report_id}/follow",
    "problems:rate": "POST /api/v1/problems/reports/{report_id}/rating",
    "problems:answer": "POST /api/v1/problems/reports/{report_id}/answers",
    "problems:reroute": "POST /api/v1/problems/reports/{report_id}/reroute",
    "problems:moderate_report": "POST /api/v1/problems/reports/{report_id}/moderation",
    "problems:moderate_answer": "POST /api/v1/problems/answers/{answer_id}/moderation",
    "missions:join": "POST /api/v1/missions/challenges/{challenge_id}/join",
    "missions:leave": "POST /api/v1/missions/challenges/{challenge_id}/leave",
    "missions:leaderboard": "PUT /api/v1/missions/challenges/{challenge_id}/leaderboard",
    "missions:evidence": "POST /api/v1/missions/challenges/{challenge_id}/evidence",
    "missions:import": "POST /api/v1/missions/challenges/{challenge_id}/import",
    "missions:partner": "POST /api/v1/missions/confirmations",
    "rewards:reward": "POST /api/v1/rewards/catalogue/{reward_id}/orders",
    "rewards:order_cancel": "POST /api/v1/rewards/orders/{order_id}/cancel",
    "rewards:fund": "POST /api/v1/rewards/funds/{fund_id}/donations",
    "rewards:desk": "POST /api/v1/rewards/desk/hand-over",
    "news:interests": "PUT /api/v1/news/interests",
    "news:follow": "PUT /api/v1/news/follows",
    "pets:new": "POST /api/v1/pets/notices",
    "pets:close": "POST /api/v1/pets/notices/{notice_id}/close",
    "pets:message": "POST /api/v1/pets/notices/{notice_id}/messages",
    "pets:moderate": "POST /api/v1/pets/notices/{notice_id}/moderation",
    "housing:link_request": "POST /api/v1/home/links",
    "housing:meeting_new": "POST /api/v1/home/meetings",
    "housing:meeting": "POST /api/v1/home/meetings/{meeting_id}/ballots",
    "housing:proxy_new": "POST /api/v1/home/meetings/{meeting_id}/register/{entry_id}/proxies",
    "housing:paper_ballot_new": "POST /api/v1/home/meetings/{meeting_id}/register/{entry_id}/paper-ballot",
    "housing:meter": "POST /api/v1/home/meters/{meter_id}/readings",
    "housing:bill": "POST /api/v1/home/bills/{bill_id}/payments",
    "housing:board": "POST /api/v1/home/buildings/{building_id}/announcements",
    "housing:board_official": "POST /api/v1/home/buildings/{building_id}/announcements/official",
    "housing:board_emergency_end": (
        "POST /api/v1/home/buildings/{building_id}/announcements/{announcement_id}/emergency-end"
    ),
    "housing:board_decide": "POST /api/v1/home/admin/announcements/{announcement_id}/decision",
    "housing:link_decide": "POST /api/v1/home/admin/links/{link_id}/decision",
    "housing:invitations": "POST /api/v1/home/invitations",
    "housing:invite": "POST /api/v1/home/invitations/accept",
    "housing:survey_new": "POST /api/v1/home/surveys",
    "ideas:project": "POST /api/v1/ideas/projects/{project_id}/ideas",
    "ideas:support": "POST /api/v1/ideas/{idea_id}/support",
    "ideas:comment": "POST /api/v1/ideas/{idea_id}/comments",
    "ideas:decide": "POST /api/v1/ideas/{idea_id}/decision",
    "ideas:moderation": "POST /api/v1/ideas/{idea_id}/moderation",
    "ideas:advance": "POST /api/v1/ideas/projects/{project_id}/advance",
    "privacy:my_data": "POST /api/v1/me/erase",
    "accounts:profile": "PUT /api/v1/me",
    "housing:bills_admin": "POST /api/v1/home/admin/buildings/{building_id}/bills-import",
    "housing:register_import": "POST /api/v1/home/admin/buildings/{building_id}/register-import",
    "housing:readings_import": "POST /api/v1/home/admin/buildings/{building_id}/readings-import",
    "voting:poll_close": "POST /api/v1/polls/{poll_id}/close",
    "voting:poll_publish": "POST /api/v1/polls/{poll_id}/publish",
    "accounts:level_request": "POST /api/v1/me/level-requests",
    "accounts:level_review": "POST /api/v1/level-requests/{request_id}/decision",
}

# Forms with no API operation yet, and why. Shrink this list; never grow it without a reason.
NO_API_YET: dict[str, str] = {
    "accounts:consent": "consent to processing of personal data is given on the site, where its text is shown",
    "accounts:oidc_sign_in": "signing in with the city's identity provider is a browser redirect flow",
    "accounts:oidc_link": "linking the provider needs the resident signed in to both in a browser",
    "accounts:second_factor": "the staff second factor guards the console and staff pages, not the API",
    "accounts:recovery_codes": "recovery codes of the staff second factor are shown once, on the site",
    "accounts:sign_out": "an API client revokes its token instead of signing out a session",
    "accounts:sign_up": "sign-up is a browser flow (CAPTCHA-free, rate-limited, e-mail confirmation)",
    "accounts:token_create": "API tokens are issued from the signed-in profile page, not by a token",
    "accounts:token_revoke": "API tokens are revoked from the signed-in profile page, not by a token",
    "notifications:unsubscribe": "the one-click e-mail link (RFC 8058), signed, needs no API",
    "voting:discussion_new": "operators open discussions in the console and this page only",
    "voting:contest_new": "operators open photo contests in the console and this page only",
    "housing:fakebank": "the demo's fake bank, never live with debug off",
}


def _site_patterns(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _site_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (
                prefix + str(pattern.pattern),
                f"{namespace}:{pattern.name}" if namespace else pattern.name,
                pattern.callback,
            )


def site_forms() -> set[str]:
    """URL names of the site's views that handle POST (their source, decorators included, says so)."""
    found = set()
    for route, name, view in _site_patterns(get_resolver().url_patterns):
        if route.startswith(NOT_THE_SITE):
            continue
        try:
            source = inspect.getsource(inspect.unwrap(view))
        except (OSError, TypeError):
            continue
        if "POST" in source:
            found.add(name)
    return found


def api_operations() -> set[str]:
    schema = Client().get("/api/v1/openapi.json").json()
    return {
        f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations
    }


def test_every_form_of_the_site_has_an_api_operation_or_a_reason():
    forms = site_forms()
    assert forms, "no forms found: the detection is broken"
    unexplained = sorted(forms - set(SITE_TO_API) - set(NO_API_YET))
    assert unexplained == [], "forms without an API operation: add one, or a reason in NO_API_YET"
    stale = sorted((set(SITE_TO_API) | set(NO_API_YET)) - forms)
    assert stale == [], "entries for forms that no longer exist"
    assert set(SITE_TO_API).isdisjoint(NO_API_YET)


def test_every_mapped_operation_exists():
    missing = sorted(op for op in SITE_TO_API.values() if op not in api_operations())
    assert missing == []


def test_the_gaps_issue_26_names_are_closed():
    operations = api_operations()
    assert "GET /api/v1/problems/reports/{report_id}/answers" in operations
    assert "GET /api/v1/problems/reports/{report_id}/history" in operations
    assert {"GET /api/v1/notifications/preferences", "PUT /api/v1/notifications/preferences"} <= operations
    # pet photos, idea moderation and what one follows in the news were web-only
    assert "POST /api/v1/pets/notices/{notice_id}/photos" in operations
    assert {"GET /api/v1/ideas/moderation", "POST /api/v1/ideas/{idea_id}/moderation"} <= operations
    assert {"GET /api/v1/news/follows", "PUT /api/v1/news/follows"} <= operations
