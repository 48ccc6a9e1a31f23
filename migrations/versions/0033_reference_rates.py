"""The market's reference rates: what one unit of a currency was worth in yuan on a day

Kept as an integer of 1e-10 yuan (exact on both databases); one rate per currency and day.

Revision ID: 0033_reference_rates
Revises: 0032_foreign_parties
Create Date: 2026-12-02 22:00:00

"""

import sqlalchemy as sa
from alembic import op


revision = "0033_reference_rates"
down_revision = "0032_foreign_parties"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reference_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("yuan_e10", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_by"], ["users.id"], name=op.f("fk_reference_rates_set_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_rates")),
        sa.UniqueConstraint("currency", "effective_on", name="uq_reference_rates_currency_day"),
    )


def downgrade():
    op.drop_table("reference_rates")
