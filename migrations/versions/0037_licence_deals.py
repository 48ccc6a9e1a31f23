"""Licences as deals: what a listing offers, licence deals and their royalty reports

A listing may be licensed many times: the one-live-deal-per-listing index leaves out
licence deals (source_type 'licence').

Revision ID: 0037_licence_deals
Revises: 0036_trade_records
Create Date: 2026-12-02 21:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0037_licence_deals"
down_revision = "0036_trade_records"
branch_labels = None
depends_on = None

OLD_LIVE = "status <> 'cancelled'"
NEW_LIVE = "status <> 'cancelled' AND (source_type IS NULL OR source_type <> 'licence')"
MOMENT = sa.DateTime(timezone=True)


def _live_index(where: str) -> None:
    op.drop_index("uq_deals_listing_live", table_name="deals")
    op.create_index(
        "uq_deals_listing_live", "deals", ["listing_id"], unique=True,
        postgresql_where=sa.text(where), sqlite_where=sa.text(where),
    )  # fmt: skip


def upgrade() -> None:
    _live_index(NEW_LIVE)
    op.create_table(
        "listing_offers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("listing_id", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "transfer",
                "exclusive",
                "sole",
                "ordinary",
                name="offerkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("territory", sa.JSON(), nullable=False),
        sa.Column("term_years", sa.Integer(), nullable=True),
        sa.Column("price_minor", sa.BigInteger(), nullable=True),
        sa.Column("rate_bp", sa.Integer(), nullable=True),
        sa.Column("minimum_annual_minor", sa.BigInteger(), nullable=True),
        sa.Column("period_months", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(1000), nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.UniqueConstraint("listing_id", "kind", name="uq_listing_offers_kind"),
    )
    op.create_index("ix_listing_offers_listing_id", "listing_offers", ["listing_id"])
    op.create_table(
        "licence_deals",
        sa.Column("deal_id", sa.Integer(), sa.ForeignKey("deals.id"), primary_key=True),
        sa.Column("listing_id", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "exclusive", "sole", "ordinary", name="licencekind", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("territory", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column(
            "base",
            sa.Enum("net_sales", name="royaltybase", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("minimum_annual_minor", sa.BigInteger(), nullable=False),
        sa.Column("period_months", sa.Integer(), nullable=False),
        sa.Column("reminded_for", sa.Integer(), nullable=True),
        sa.Column("late_told_for", sa.Integer(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
    )
    op.create_index("ix_licence_deals_listing_id", "licence_deals", ["listing_id"])
    op.create_table(
        "royalty_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deal_id", sa.Integer(), sa.ForeignKey("licence_deals.deal_id"), nullable=False),
        sa.Column("period_index", sa.Integer(), nullable=False),
        sa.Column("period_starts_on", sa.Date(), nullable=False),
        sa.Column("period_ends_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("net_sales_minor", sa.BigInteger(), nullable=False),
        sa.Column("rate_part_minor", sa.BigInteger(), nullable=False),
        sa.Column("top_up_minor", sa.BigInteger(), nullable=False),
        sa.Column("royalty_minor", sa.BigInteger(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("reported_at", MOMENT, nullable=False),
        sa.Column("reported_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.UniqueConstraint("deal_id", "period_index", name="uq_royalty_reports_period"),
    )
    op.create_index("ix_royalty_reports_deal_id", "royalty_reports", ["deal_id"])
    _co_owners()


def _co_owners() -> None:
    op.create_table(
        "rights_holders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("listing_id", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=True),
        sa.Column("share_bp", sa.Integer(), nullable=False),
        sa.Column(
            "basis",
            sa.Enum("ownership", "right_of_use", name="holderbasis", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("use_until", sa.Date(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
    )
    op.create_index("ix_rights_holders_listing_id", "rights_holders", ["listing_id"])
    op.create_index("ix_rights_holders_org_id", "rights_holders", ["org_id"])
    op.create_table(
        "rights_agreements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("listing_id", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False),
        sa.Column("signed_off_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("signed_off_at", MOMENT, nullable=True),
        sa.Column("original_name", sa.String(255), nullable=False),
        sa.Column("stored_name", sa.String(80), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("uploaded_at", MOMENT, nullable=False),
        sa.UniqueConstraint("stored_name", name="uq_rights_agreements_stored_name"),
    )
    op.create_index("ix_rights_agreements_listing_id", "rights_agreements", ["listing_id"])
    op.create_table(
        "co_owner_consents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "holder_id",
            sa.Integer(),
            sa.ForeignKey("rights_holders.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "purpose",
            sa.Enum("transfer", "licence", name="purpose", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("reference", sa.String(300), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("recorded_at", MOMENT, nullable=False),
    )
    op.create_index("ix_co_owner_consents_holder_id", "co_owner_consents", ["holder_id"])


def downgrade() -> None:
    op.drop_table("co_owner_consents")
    op.drop_table("rights_agreements")
    op.drop_table("rights_holders")
    op.drop_table("royalty_reports")
    op.drop_table("licence_deals")
    op.drop_table("listing_offers")
    _live_index(OLD_LIVE)
