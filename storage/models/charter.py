"""Health charters (ธรรมนูญสุขภาพ), hearing rounds and clause feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow

STANCES = ("agree", "disagree", "unsure")


class Charter(Base):
    __tablename__ = "charters"
    __table_args__ = (UniqueConstraint("district", "version", name="uq_charters_district_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    demo_notice: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft, published, archived
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sections: Mapped[list[CharterSection]] = relationship(
        back_populates="charter", order_by="CharterSection.no", cascade="all, delete-orphan"
    )


class CharterSection(Base):
    __tablename__ = "charter_sections"
    __table_args__ = (UniqueConstraint("charter_id", "no", name="uq_charter_sections_charter_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"))
    no: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(32))

    charter: Mapped[Charter] = relationship(back_populates="sections")
    clauses: Mapped[list[CharterClause]] = relationship(
        back_populates="section", order_by="CharterClause.no", cascade="all, delete-orphan"
    )


class CharterClause(Base):
    __tablename__ = "charter_clauses"
    __table_args__ = (UniqueConstraint("charter_id", "no", name="uq_charter_clauses_charter_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"))
    section_id: Mapped[int] = mapped_column(ForeignKey("charter_sections.id"))
    no: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(32))

    section: Mapped[CharterSection] = relationship(back_populates="clauses")


class HearingRound(Base):
    """รอบรับฟังความคิดเห็น: feedback is accepted only between opens_at and closes_at."""

    __tablename__ = "hearing_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"))
    name: Mapped[str] = mapped_column(String(200))
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    closing_notice_sent_at: Mapped[datetime | None]
    results_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClauseFeedback(Base):
    """One stance per user per clause per round; a new stance replaces the old one."""

    __tablename__ = "clause_feedback"
    __table_args__ = (
        UniqueConstraint("round_id", "clause_id", "user_id", name="uq_clause_feedback_round_clause_user"),
        Index("ix_clause_feedback_user_id", "user_id"),  # one's own stances and comments
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("hearing_rounds.id"))
    clause_id: Mapped[int] = mapped_column(ForeignKey("charter_clauses.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stance: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
