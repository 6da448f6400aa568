"""Demo City of Ideas: a project in each stage (collecting, expert review, results) with ideas,
supports, comments and expert decisions. Idempotent."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from gorod.accounts.models import District, Resident
from gorod.ideas import services
from gorod.ideas.models import Project, Stage

PROJECTS = [
    (
        gettext_noop("Our courtyards"),
        gettext_noop("Courtyards and playgrounds"),
        gettext_noop("How should the courtyards of Arbat change next summer?"),
        "arbat",
        Stage.COLLECTING,
    ),
    (
        gettext_noop("Cycling city"),
        gettext_noop("Transport"),
        gettext_noop("Where do new cycle lanes and bike parking belong?"),
        None,
        Stage.REVIEW,
    ),
    (
        gettext_noop("Libraries of the future"),
        gettext_noop("Culture"),
        gettext_noop("What should a city library offer?"),
        None,
        Stage.RESULTS,
    ),
]

IDEAS = {
    gettext_noop("Our courtyards"): [
        (
            "anna",
            gettext_noop("Shade sails over the sandpit"),
            gettext_noop("Children cannot play in the sun at noon."),
        ),
        (
            "gleb",
            gettext_noop("A table-tennis table"),
            gettext_noop("Neighbours would play in the evenings."),
        ),
    ],
    gettext_noop("Cycling city"): [
        (
            "boris",
            gettext_noop("Bike lane on Tverskaya"),
            gettext_noop("A protected lane from Belorusskaya to Okhotny Ryad."),
        ),
        (
            "anna",
            gettext_noop("Bike parking at every metro exit"),
            gettext_noop("Secure racks near each exit."),
        ),
        ("gleb", gettext_noop("Racks at metro stations"), gettext_noop("Same as the parking idea.")),
    ],
    gettext_noop("Libraries of the future"): [
        ("gleb", gettext_noop("Open until midnight"), gettext_noop("Students need a quiet place at night.")),
        ("boris", gettext_noop("Tool library"), gettext_noop("Borrow a drill like a book.")),
        ("anna", gettext_noop("Board-game evenings"), gettext_noop("Weekly games for neighbours.")),
    ],
}


def seed() -> None:
    people = {
        r.username: r
        for r in Resident.objects.filter(
            username__in=["anna", "boris", "gleb", "vera", "moderator", "operator"]
        )
    }
    if len(people) < 6:
        return
    moderator, operator = people["moderator"], people["operator"]
    for title, topic, description, district_code, target_stage in PROJECTS:
        project = Project.objects.filter(title=title).first()
        if project is not None:
            continue
        project = Project.objects.create(
            title=title,
            topic=topic,
            description=description,
            organisation=gettext_noop("City Department of Improvement"),
        )
        if district_code:
            project.districts.set(District.objects.filter(code=district_code))
        ideas = []
        for author, idea_title, text in IDEAS[title]:
            idea = services.idea_submit(project=project, author=people[author], title=idea_title, text=text)
            services.idea_moderate(idea_id=idea.pk, moderator=moderator, approve=True)
            ideas.append(idea)
        for idea in ideas:
            for supporter in ("anna", "boris", "gleb", "vera"):
                if people[supporter].pk != idea.author_id and (supporter != "vera" or idea is ideas[0]):
                    services.idea_support(idea_id=idea.pk, resident=people[supporter])
        services.comment_add(
            idea_id=ideas[0].pk, author=people["vera"], text=gettext_noop("Great idea, I support it!")
        )
        if target_stage == Stage.COLLECTING:
            continue
        services.project_stage_advance(project_id=project.pk, actor=operator)
        if target_stage == Stage.REVIEW:
            services.idea_decide(
                idea_id=ideas[2].pk,
                expert=operator,
                outcome="merged",
                merged_into_id=ideas[1].pk,
                reason=gettext_noop("The same proposal as the bike parking idea."),
            )
            continue
        services.idea_decide(
            idea_id=ideas[0].pk,
            expert=operator,
            outcome="accepted",
            make_decision=True,
            reason=gettext_noop("Three libraries will open until midnight from September."),
        )
        services.idea_decide(
            idea_id=ideas[1].pk,
            expert=operator,
            outcome="accepted",
            reason=gettext_noop("A pilot tool library opens in the central library."),
        )
        services.idea_decide(
            idea_id=ideas[2].pk,
            expert=operator,
            outcome="declined",
            reason=gettext_noop("Libraries already hold game evenings; see the events page."),
        )
        services.project_stage_advance(project_id=project.pk, actor=operator)
