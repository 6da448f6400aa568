from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gorod.accounts.models import AccountLevel
from gorod.accounts.tests.factories import DistrictFactory, ResidentFactory
from gorod.core import merkle
from gorod.points import selectors as points_selectors
from gorod.points.models import Transfer
from gorod.voting import errors, rules, services
from gorod.voting import mix as services_mix
from gorod.voting.models import Ballot, BallotChoice, BallotReceipt, OtherAnswer, Participation, PendingBallot
from gorod.voting.rules import Answer
from gorod.voting.targeting import Targeting, register_building_directory

from .conftest import answers_for, make_poll, proves_receipt

pytestmark = pytest.mark.django_db


def nothing_written(poll, resident, balance_before=0):
    assert Participation.objects.filter(poll=poll).count() == 0
    assert Ballot.objects.filter(poll=poll).count() == 0
    assert PendingBallot.objects.filter(poll=poll).count() == 0
    assert BallotChoice.objects.filter(poll=poll).count() == 0
    assert OtherAnswer.objects.filter(poll=poll).count() == 0
    assert points_selectors.balance(resident).balance == balance_before


def test_ballot_is_stored_secretly_and_awards_points(open_poll, resident):
    receipt = services.ballot_cast(
        poll_id=open_poll.pk, resident=resident, answers=answers_for(open_poll, 1, (0, 2))
    )
    assert receipt.points == 20
    assert points_selectors.balance(resident).balance == 20
    assert Transfer.objects.filter(source_key=f"vote:{open_poll.pk}:{resident.pk}").count() == 1
    assert Participation.objects.filter(poll=open_poll, resident=resident).count() == 1
    # the vote leaves only a sealed ballot: nothing readable, counted once mixed
    pending = PendingBallot.objects.get(poll=open_poll)
    assert rules.receipt_hash(receipt.code).encode() not in bytes(pending.sealed)
    assert Ballot.objects.filter(poll=open_poll).count() == 0
    services.poll_close(poll_id=open_poll.pk)
    ballot = Ballot.objects.get(poll=open_poll)
    assert BallotReceipt.objects.get(poll=open_poll).receipt_hash == rules.receipt_hash(receipt.code)
    assert not PendingBallot.objects.filter(poll=open_poll).exists()
    # nothing on the ballot row names the resident, its receipt or a time
    field_names = {f.name for f in Ballot._meta.get_fields()}
    assert not {"resident", "participation", "created_at", "receipt_hash", "cast_hour"} & field_names
    assert BallotChoice.objects.filter(ballot=ballot).count() == 3


def test_simplified_account_votes_without_points(open_poll):
    simple = ResidentFactory(level=AccountLevel.SIMPLIFIED)
    receipt = services.ballot_cast(poll_id=open_poll.pk, resident=simple, answers=answers_for(open_poll))
    assert receipt.points == 0


def test_second_ballot_is_refused_and_awards_nothing(open_poll, resident):
    services.ballot_cast(poll_id=open_poll.pk, resident=resident, answers=answers_for(open_poll))
    with pytest.raises(errors.AlreadyVoted):
        services.ballot_cast(poll_id=open_poll.pk, resident=resident, answers=answers_for(open_poll, 1))
    assert PendingBallot.objects.filter(poll=open_poll).count() == 1
    assert points_selectors.balance(resident).balance == 20


@pytest.mark.parametrize(
    ("make_answers", "error"),
    [
        (lambda p: [], errors.EmptyBallot),
        (lambda p: answers_for(p)[:1], errors.QuestionUnanswered),
        (lambda p: answers_for(p, 0, (0, 1, 2)), errors.TooManyChoices),
        (lambda p: answers_for(p, 0, (0, 1), other="Fountain"), errors.TooManyChoices),
        (lambda p: answers_for(p, 0, (0,), other="x" * 501), errors.OtherTooLong),
        (
            lambda p: [
                Answer(
                    question_id=answers_for(p)[0].question_id, option_ids=(answers_for(p)[1].option_ids[0],)
                ),
                answers_for(p)[1],
            ],
            errors.OptionNotInPoll,
        ),
        (
            lambda p: [
                Answer(question_id=answers_for(p)[0].question_id, option_ids=(), other="mine"),
                answers_for(p)[1],
            ],
            errors.OtherNotAllowed,
        ),
    ],
)
def test_bad_ballots_are_refused_and_write_nothing(open_poll, resident, make_answers, error):
    with pytest.raises(error):
        services.ballot_cast(poll_id=open_poll.pk, resident=resident, answers=make_answers(open_poll))
    nothing_written(open_poll, resident)


def test_option_from_another_poll_is_refused(open_poll, resident):
    other = make_poll(title="Another")
    foreign = answers_for(other)
    mixed = [
        Answer(question_id=answers_for(open_poll)[0].question_id, option_ids=foreign[0].option_ids),
        answers_for(open_poll)[1],
    ]
    with pytest.raises(errors.OptionNotInPoll):
        services.ballot_cast(poll_id=open_poll.pk, resident=resident, answers=mixed)
    nothing_written(open_poll, resident)


def test_closed_and_not_yet_open_polls_refuse(resident):
    now = timezone.now()
    future = make_poll(
        status="scheduled", opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=2)
    )
    with pytest.raises(errors.PollNotOpenYet):
        services.ballot_cast(poll_id=future.pk, resident=resident, answers=answers_for(future))
    nothing_written(future, resident)
    poll = make_poll()
    with pytest.raises(errors.PollClosed):
        services.ballot_cast(
            poll_id=poll.pk, resident=resident, answers=answers_for(poll), now=poll.closes_at
        )
    nothing_written(poll, resident)
    closed = make_poll(status="closed")
    with pytest.raises(errors.PollClosed):
        services.ballot_cast(poll_id=closed.pk, resident=resident, answers=answers_for(closed))
    nothing_written(closed, resident)


def test_targeting_by_district_okrug_level_and_building(resident):
    elsewhere = DistrictFactory()
    by_district = make_poll(targeting=Targeting.of(district_ids=[elsewhere.pk]))
    with pytest.raises(errors.PollNotForYou):
        services.ballot_cast(poll_id=by_district.pk, resident=resident, answers=answers_for(by_district))
    nothing_written(by_district, resident)
    by_okrug = make_poll(targeting=Targeting.of(okrug_ids=[resident.home_district.okrug_id]))
    services.ballot_cast(poll_id=by_okrug.pk, resident=resident, answers=answers_for(by_okrug))
    full_only = make_poll(targeting=Targeting.of(min_level=AccountLevel.FULL))
    with pytest.raises(errors.LevelTooLow):
        services.ballot_cast(poll_id=full_only.pk, resident=resident, answers=answers_for(full_only))
    nothing_written(full_only, resident, balance_before=20)
    building = make_poll(targeting=Targeting.of(building_ids=[501]), reward_action="")
    with pytest.raises(errors.PollNotForYou):
        services.ballot_cast(poll_id=building.pk, resident=resident, answers=answers_for(building))
    receipt = services.ballot_cast(
        poll_id=building.pk, resident=resident, answers=answers_for(building), resident_building_ids={501, 7}
    )
    assert receipt.points == 0  # a non-rewarded survey


def test_building_directory_drives_listing_and_reach(resident):
    from gorod.voting import selectors, targeting

    class Directory:
        def buildings_of(self, resident_id):
            return {42} if resident_id == resident.pk else set()

        def residents_of(self, building_ids):
            return {resident.pk} if 42 in building_ids else set()

    poll = make_poll(targeting=Targeting.of(building_ids=[42]))
    other = make_poll(targeting=Targeting.of(building_ids=[43]))
    registered = targeting.building_directory()  # housing's, when it is installed
    try:
        register_building_directory(Directory())
        listed = set(selectors.open_polls_for(resident).values_list("pk", flat=True))
        assert poll.pk in listed and other.pk not in listed
        assert targeting.reach(Targeting.of(building_ids=[42])) == 1
        services.ballot_cast(poll_id=poll.pk, resident=resident, answers=answers_for(poll))
    finally:
        register_building_directory(registered)


def test_close_tallies_publishes_root_and_proves_inclusion(open_poll):
    district = DistrictFactory()
    receipts = []
    for i in range(12):
        voter = ResidentFactory(home_district=district)
        receipts.append(
            services.ballot_cast(
                poll_id=open_poll.pk,
                resident=voter,
                answers=answers_for(open_poll, i % 3, (i % 2,), other="Fountain" if i == 0 else ""),
            )
        )
    small = ResidentFactory()
    services.ballot_cast(poll_id=open_poll.pk, resident=small, answers=answers_for(open_poll, 2))
    poll = services.poll_close(poll_id=open_poll.pk)
    results = poll.results
    assert results["ballots"] == 13 and poll.ballot_count == 13
    q1 = results["questions"][0]
    assert [o["count"] for o in q1["options"]] == [4, 4, 5]
    assert q1["options"][2]["percent"] == "38.5"
    assert results["questions"][1]["other"]["count"] == 1
    assert [d["district_id"] for d in results["districts"]] == [district.pk]  # the 1-voter district hidden
    assert results["other_districts"] is None
    # the root is node(receipts root, ballots root) over the rows the mix wrote
    receipt_leaves = sorted(
        bytes(v) for v in BallotReceipt.objects.filter(poll=poll).values_list("leaf", flat=True)
    )
    ballot_leaves = sorted(
        merkle.leaf_hash(rules.ballot_leaf_bytes(c))
        for c in Ballot.objects.filter(poll=poll).values_list("choices", flat=True)
    )
    assert (
        poll.merkle_root
        == merkle.node_hash(merkle.root_of_hashes(receipt_leaves), merkle.root_of_hashes(ballot_leaves)).hex()
    )
    assert all(proves_receipt(poll, r.code.lower()) for r in receipts)
    assert not proves_receipt(poll, "AAAAA-AAAAA-AAAAA-AAAAA")
    assert OtherAnswer.objects.get(poll=poll).text == "Fountain"


def test_mix_waits_for_ten_and_batches_keep_no_order(open_poll):
    voters = [ResidentFactory() for _ in range(12)]
    for voter in voters[:9]:
        services.ballot_cast(poll_id=open_poll.pk, resident=voter, answers=answers_for(open_poll))
    assert services_mix.ballots_mix_due() == 0  # 9 waiting: not enough to hide in
    assert Ballot.objects.filter(poll=open_poll).count() == 0
    for voter in voters[9:]:
        services.ballot_cast(poll_id=open_poll.pk, resident=voter, answers=answers_for(open_poll))
    assert services_mix.ballots_mix_due() == 12
    assert Ballot.objects.filter(poll=open_poll).count() == 12
    assert BallotReceipt.objects.filter(poll=open_poll).count() == 12
    assert not PendingBallot.objects.filter(poll=open_poll).exists()
    # the last voter hides among 10 at the close: 9 earlier ballots are mixed again with theirs
    services.ballot_cast(poll_id=open_poll.pk, resident=ResidentFactory(), answers=answers_for(open_poll))
    poll = services.poll_close(poll_id=open_poll.pk)
    assert poll.ballot_count == 13 and Ballot.objects.filter(poll=poll).count() == 13


def test_lifecycle_and_frozen_questions(operator):
    poll = make_poll(status="draft")
    services.question_add(
        poll_id=poll.pk, question=services.QuestionSpec(text="Extra", options=["a", "b"]), actor=operator
    )
    services.poll_schedule(poll_id=poll.pk, actor=operator)
    services.poll_open(poll_id=poll.pk, actor=operator)
    with pytest.raises(errors.PollNotEditable):
        services.question_add(
            poll_id=poll.pk, question=services.QuestionSpec(text="Late", options=["a", "b"])
        )
    assert poll.questions.count() == 3
    with pytest.raises(errors.PollTransitionInvalid):
        services.poll_results_publish(poll_id=poll.pk)
    services.poll_close(poll_id=poll.pk, actor=operator)
    with pytest.raises(errors.PollTransitionInvalid):
        services.poll_close(poll_id=poll.pk)
    services.poll_results_publish(poll_id=poll.pk, actor=operator)
    services.poll_archive(poll_id=poll.pk, actor=operator)


def test_incomplete_polls_are_refused():
    now = timezone.now()
    with pytest.raises(errors.PollIncomplete):
        services.poll_create(title="t", opens_at=now, closes_at=now + dt.timedelta(days=1), questions=[])
    with pytest.raises(errors.PollIncomplete):
        services.poll_create(
            title="t",
            opens_at=now,
            closes_at=now + dt.timedelta(days=1),
            questions=[services.QuestionSpec(text="q", options=["only"])],
        )
    with pytest.raises(errors.PollWindowInvalid):
        services.poll_create(
            title="t",
            opens_at=now,
            closes_at=now,
            questions=[services.QuestionSpec(text="q", options=["a", "b"])],
        )


def test_schedules_open_and_close_on_time():
    now = timezone.now()
    poll = make_poll(
        status="scheduled", opens_at=now - dt.timedelta(minutes=1), closes_at=now + dt.timedelta(hours=1)
    )
    services.poll_schedule(poll_id=poll.pk)
    assert services.polls_open_due(now=now) == 1
    assert services.polls_open_due(now=now) == 0
    assert services.polls_close_due(now=now + dt.timedelta(hours=2)) == 1
    poll.refresh_from_db()
    assert poll.status == "closed" and poll.merkle_root


def test_receipt_codes_are_four_groups_of_five_from_the_whole_alphabet():
    import re
    from collections import Counter

    codes = [rules.new_receipt_code() for _ in range(2000)]
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{5}(-[A-HJ-NP-Z2-9]{5}){3}", c) for c in codes)
    assert len(set(codes)) == len(codes)
    letters = Counter("".join(codes).replace("-", ""))
    # every one of the 32 letters appears, none far from its share (40,000 / 32 = 1,250)
    assert set(letters) == set(rules._ALPHABET)
    assert all(1000 < n < 1500 for n in letters.values()), letters
