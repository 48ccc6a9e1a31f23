"""Roadshows and events (路演): events, their agenda, registrations, interest, materials.

An organisation's country comes from the foreign parties' revision before this one.

Revision ID: 0035_events
Revises: 0034_deal_currency_index
Create Date: 2026-12-02 21:29:37

"""

import sqlalchemy as sa
from alembic import op

revision = "0035_events"
down_revision = "0034_deal_currency_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "market_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "format",
            sa.Enum(
                "online", "offline", "hybrid", name="eventformat", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column("venue", sa.String(length=300), nullable=True),
        sa.Column("stream_url", sa.String(length=500), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("organiser_org_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_market_events_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organiser_org_id"],
            ["organisations.id"],
            name=op.f("fk_market_events_organiser_org_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_events")),
    )
    with op.batch_alter_table("market_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_market_events_organiser_org_id"), ["organiser_org_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_market_events_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "event_agenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["market_events.id"],
            name=op.f("fk_event_agenda_event_id_market_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["listings.id"], name=op.f("fk_event_agenda_listing_id_listings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_agenda")),
        sa.UniqueConstraint("event_id", "listing_id", name="uq_event_agenda_listing"),
    )
    with op.batch_alter_table("event_agenda", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_agenda_listing_id"), ["listing_id"], unique=False
        )

    op.create_table(
        "event_interests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("contact", "introduction", name="interestkind", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["market_events.id"],
            name=op.f("fk_event_interests_event_id_market_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["listings.id"], name=op.f("fk_event_interests_listing_id_listings")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_event_interests_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_event_interests_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_interests")),
        sa.UniqueConstraint("event_id", "listing_id", "org_id", "kind", name="uq_event_interests"),
    )
    with op.batch_alter_table("event_interests", schema=None) as batch_op:
        batch_op.create_index("ix_event_interests_listing", ["listing_id", "kind"], unique=False)

    op.create_table(
        "event_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["market_events.id"],
            name=op.f("fk_event_materials_event_id_market_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_event_materials_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_materials")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_event_materials_stored_name")),
    )
    with op.batch_alter_table("event_materials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_materials_event_id"), ["event_id"], unique=False)

    op.create_table(
        "event_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["market_events.id"],
            name=op.f("fk_event_registrations_event_id_market_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_event_registrations_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_event_registrations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registrations")),
        sa.UniqueConstraint("event_id", "user_id", name="uq_event_registrations_user"),
    )
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_registrations_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_registrations_user_id"))

    op.drop_table("event_registrations")
    with op.batch_alter_table("event_materials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_materials_event_id"))

    op.drop_table("event_materials")
    with op.batch_alter_table("event_interests", schema=None) as batch_op:
        batch_op.drop_index("ix_event_interests_listing")

    op.drop_table("event_interests")
    with op.batch_alter_table("event_agenda", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_agenda_listing_id"))

    op.drop_table("event_agenda")
    with op.batch_alter_table("market_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_market_events_starts_at"))
        batch_op.drop_index(batch_op.f("ix_market_events_organiser_org_id"))

    op.drop_table("market_events")
