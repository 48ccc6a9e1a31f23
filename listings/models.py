"""Listings of results (科技成果), their IP assets and ownership evidence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from accounts.models import Organisation
from core.db_types import StoredFileMixin, UTCDateTime, enum_column
from core.extensions import Model
from listings.evaluation_models import ResultEvaluation
from listings.legal_rules import LegalStatus, Purpose
from listings.need_rules import NeedStatus
from listings.rules import IPKind, ListingStatus, LocalisedText, SaleState, text_lang


def title_in(locale: str, title_zh: str | None, title_en: str | None) -> str:
    """A listing's title in the reader's language, falling back to the other one (its
    columns read without the listing: `Listing.title`)."""
    preferred = title_en if str(locale).startswith("en") else title_zh
    return preferred or title_zh or title_en or ""


class TechnologyClassMixin:
    """The technology a listing offers or a need seeks, as search and matching compare it: its
    field (a key of `listings.rules.FIELDS`), its IPC classes and its keywords (关键词,
    searched with weight)."""

    field: Mapped[str] = mapped_column(String(32), index=True)
    ipc_classes: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str] | None] = mapped_column(JSON, default=list)


class Listing(TechnologyClassMixin, Model):
    """One result or portfolio offered on the market, in Chinese, English or both."""

    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[ListingStatus] = mapped_column(enum_column(ListingStatus), index=True)
    title_zh: Mapped[str | None] = mapped_column(String(300))
    title_en: Mapped[str | None] = mapped_column(String(300))
    summary_zh: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    # The details as the holder wrote them (usually Chinese), and their English versions.
    problem: Mapped[str | None] = mapped_column(Text)
    advantage: Mapped[str | None] = mapped_column(Text)
    application: Mapped[str | None] = mapped_column(Text)
    economics: Mapped[str | None] = mapped_column(Text)
    problem_en: Mapped[str | None] = mapped_column(Text)
    advantage_en: Mapped[str | None] = mapped_column(Text)
    application_en: Mapped[str | None] = mapped_column(Text)
    economics_en: Mapped[str | None] = mapped_column(Text)
    trl: Mapped[int] = mapped_column(Integer)
    inventors: Mapped[list[str]] = mapped_column(JSON, default=list)
    holder: Mapped[str] = mapped_column(String(200))
    transfer_modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(64))
    asking_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    sale_state: Mapped[SaleState] = mapped_column(
        enum_column(SaleState),
        default=SaleState.AVAILABLE,
        server_default=SaleState.AVAILABLE.value,
    )
    rejection_reason: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    organisation: Mapped[Organisation] = relationship()
    ip_assets: Mapped[list[IPAsset]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="IPAsset.id"
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    images: Mapped[list[ListingImage]] = relationship(
        back_populates="listing",
        cascade="all, delete-orphan",
        order_by=lambda: [ListingImage.position, ListingImage.id],
    )
    # 科技成果评价, oldest first: the last one stands (search facet, listing page).
    evaluations: Mapped[list[ResultEvaluation]] = relationship(
        order_by=ResultEvaluation.id, viewonly=True
    )

    def title(self, locale: str = "zh_CN") -> str:
        """The title in the reader's language, falling back to the other one."""
        return title_in(locale, self.title_zh, self.title_en)

    def titles(self) -> dict[str, str]:
        """The title in both languages, as notifications and webhook events carry it."""
        return {"title": self.title("zh_CN"), "title_en": self.title("en")}

    def summary(self, locale: str = "zh_CN") -> str:
        """The plain-language summary in the reader's language, falling back to the other."""
        preferred = self.summary_en if locale.startswith("en") else self.summary_zh
        return preferred or self.summary_zh or self.summary_en or ""

    def detail(self, name: str, locale: str = "zh_CN") -> LocalisedText | None:
        """One of DETAILS in the reader's language, else the other one, with its language.

        The original (`problem`) is what the holder typed, Chinese or English: its
        language is read from its script, so a page can mark a fallback with `lang`.
        """
        original, english = getattr(self, name), getattr(self, f"{name}_en")
        if locale.startswith("en"):
            text = english or original
        else:
            text = original if original and text_lang(original) != "en" else english or original
        return LocalisedText(text, text_lang(text)) if text else None

    @property
    def cover(self) -> ListingImage | None:
        """The first image, shown on cards and search results."""
        return self.images[0] if self.images else None


class ListingTradeMixin:
    """A way of trading one listing (a listed sale, a negotiation, an auction): its key,
    the listing's, the currency of its prices and when it began."""

    # The keys come first in the table, as they did before the mixin.
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True, sort_order=-1)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @declared_attr
    def listing(cls) -> Mapped[Listing]:
        """The listing traded."""
        return relationship(Listing)


class ListingImage(StoredFileMixin, Model):
    """A picture of a result (a device, a diagram, a field trial), with its thumbnail.

    Alt text is required in each language the listing is written in (`alt_zh`, `alt_en`).
    """

    __tablename__ = "listing_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    alt_zh: Mapped[str | None] = mapped_column(String(300))
    alt_en: Mapped[str | None] = mapped_column(String(300))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    thumb_name: Mapped[str] = mapped_column(String(80), unique=True)
    thumb_width: Mapped[int] = mapped_column(Integer)
    thumb_height: Mapped[int] = mapped_column(Integer)

    listing: Mapped[Listing] = relationship(back_populates="images")

    def alt(self, locale: str = "zh_CN") -> str:
        """The text alternative in the reader's language, falling back to the other."""
        preferred = self.alt_en if locale.startswith("en") else self.alt_zh
        return preferred or self.alt_zh or self.alt_en or ""

    def alt_lang(self, locale: str = "zh_CN") -> str:
        """The language of `alt(locale)`, for the `lang` attribute of a fallback."""
        return text_lang(self.alt(locale))


class IPAsset(Model):
    """A patent or other right in a listing, with a validated, normalised number."""

    __tablename__ = "ip_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[IPKind] = mapped_column(enum_column(IPKind))
    number: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    legal_status: Mapped[str | None] = mapped_column(String(40))
    filed_on: Mapped[date | None] = mapped_column(Date)  # 申请日
    granted_on: Mapped[date | None] = mapped_column(Date)  # 授权公告日

    listing: Mapped[Listing] = relationship(back_populates="ip_assets")


class Evidence(StoredFileMixin, Model):
    """An ownership document (certificate, register extract, assignment, authorisation)."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))

    listing: Mapped[Listing] = relationship(back_populates="evidence")


class TechNeed(TechnologyClassMixin, Model):
    """A technology need (技术需求) posted by a verified enterprise: a problem it wants solved."""

    __tablename__ = "tech_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(300))
    problem: Mapped[str] = mapped_column(Text)
    budget_min_minor: Mapped[int | None] = mapped_column(BigInteger)
    budget_max_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    deadline: Mapped[date | None] = mapped_column(Date)
    min_trl: Mapped[int | None] = mapped_column(Integer)
    transfer_modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(64))
    status: Mapped[NeedStatus] = mapped_column(enum_column(NeedStatus), index=True)
    close_reason: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship()


class PortfolioImport(Model):
    """A patent portfolio file an organisation uploaded, and the progress of its one job.

    The valid rows wait here (`rows`) until the job has made them draft listings;
    `processed` moves on batch by batch, so the page shows a progress bar and a job
    that died resumes where the last committed batch ended.
    """

    __tablename__ = "portfolio_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), index=True)  # queued, running, done
    rows: Mapped[list[dict]] = mapped_column(JSON, default=list)
    errors: Mapped[list[dict]] = mapped_column(JSON, default=list)
    skipped: Mapped[list[dict]] = mapped_column(JSON, default=list)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PatentStatusRecord(Model):
    """A patent's legal status (法律状态) as of a date, with its source (pledgee if pledged)."""

    __tablename__ = "patent_status_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    patent_number: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[LegalStatus] = mapped_column(enum_column(LegalStatus))
    effective_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300))
    pledgee: Mapped[str | None] = mapped_column(String(200))  # 质权人
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PledgeeConsent(Model):
    """A pledgee's recorded consent to transfer or license a pledged patent (民法典 Art. 444)."""

    __tablename__ = "pledgee_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    patent_number: Mapped[str] = mapped_column(String(40), index=True)
    pledgee: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose))
    reference: Mapped[str] = mapped_column(String(300))  # the consent letter or its filing
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
