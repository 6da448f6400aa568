"""What a quiz attempt comes to, as plain data (shown by the pages, the API and the selectors)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class QuestionOutcome:
    question_id: int
    chosen: tuple[int, ...]
    correct_ids: tuple[int, ...]

    @property
    def is_correct(self) -> bool:
        return set(self.chosen) == set(self.correct_ids)


@dataclass(frozen=True)
class QuizResult:
    quiz_id: int
    correct: int
    total: int
    points: int
    questions: list[QuestionOutcome] = field(default_factory=list)
