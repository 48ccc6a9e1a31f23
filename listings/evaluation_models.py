"""Evaluations of results (科技成果评价) and their evidence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.db_types import StoredFileMixin, UTCDateTime, enum_column
from core.extensions import Model
from listings.evaluation_rules import Advancement, Novelty


class ResultEvaluation(Model):
    """An accredited evaluator's findings on a listing; the latest one stands."""

    __tablename__ = "result_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The broker agency the evaluator works for: the evaluating body named on the page.
    evaluator_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    trl: Mapped[int] = mapped_column(SmallInteger)
    novelty: Mapped[Novelty] = mapped_column(enum_column(Novelty))
    advancement: Mapped[Advancement] = mapped_column(enum_column(Advancement))
    reasoning: Mapped[str] = mapped_column(Text)
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    evaluator: Mapped[User] = relationship(foreign_keys=[evaluator_id])
    evaluator_org: Mapped[Organisation] = relationship()
    evidence: Mapped[list[EvaluationEvidence]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", order_by="EvaluationEvidence.id"
    )


class EvaluationEvidence(StoredFileMixin, Model):
    """A document the evaluation rests on (test report, novelty search, user report)."""

    __tablename__ = "evaluation_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("result_evaluations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    evaluation: Mapped[ResultEvaluation] = relationship(back_populates="evidence")
