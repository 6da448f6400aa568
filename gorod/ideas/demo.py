"""Demo City of Ideas: a project in each stage (collecting, expert review, results) with ideas,
supports, comments and expert decisions. Idempotent."""

from __future__ import annotations

from gorod.accounts.models import District, Resident
from gorod.ideas import services
from gorod.ideas.models import Project, Stage

PROJECTS = [
    (
        "Our courtyards",
        "Courtyards and playgrounds",
        "How should the courtyards of Arbat change next summer?",
        "arbat",
        Stage.COLLECTING,
    ),
    ("Cycling city", "Transport", "Where do new cycle lanes and bike parking belong?", None, Stage.REVIEW),
    ("Libraries of the future", "Culture", "What should a city library offer?", None, Stage.RESULTS),
]

IDEAS = {
    "Our courtyards": [
        ("anna", "Shade sails over the sandpit", "Children cannot play in the sun at noon."),
        ("gleb", "A table-tennis table", "Neighbours would play in the evenings."),
    ],
    "Cycling city": [
        ("boris", "Bike lane on Tverskaya", "A protected lane from Belorusskaya to Okhotny Ryad."),
        ("anna", "Bike parking at every metro exit", "Secure racks near each exit."),
        ("gleb", "Racks at metro stations", "Same as the parking idea."),
    ],
    "Libraries of the future": [
        ("gleb", "Open until midnight", "Students need a quiet place at night."),
        ("boris", "Tool library", "Borrow a drill like a book."),
        ("anna", "Board-game evenings", "Weekly games for neighbours."),
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
            title=title, topic=topic, description=description, organisation="City Department of Improvement"
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
        services.comment_add(idea_id=ideas[0].pk, author=people["vera"], text="Great idea, I support it!")
        if target_stage == Stage.COLLECTING:
            continue
        services.project_stage_advance(project_id=project.pk, actor=operator)
        if target_stage == Stage.REVIEW:
            services.idea_decide(
                idea_id=ideas[2].pk,
                expert=operator,
                outcome="merged",
                merged_into_id=ideas[1].pk,
                reason="The same proposal as the bike parking idea.",
            )
            continue
        services.idea_decide(
            idea_id=ideas[0].pk,
            expert=operator,
            outcome="accepted",
            make_decision=True,
            reason="Three libraries will open until midnight from September.",
        )
        services.idea_decide(
            idea_id=ideas[1].pk,
            expert=operator,
            outcome="accepted",
            reason="A pilot tool library opens in the central library.",
        )
        services.idea_decide(
            idea_id=ideas[2].pk,
            expert=operator,
            outcome="declined",
            reason="Libraries already hold game evenings; see the events page.",
        )
        services.project_stage_advance(project_id=project.pk, actor=operator)
