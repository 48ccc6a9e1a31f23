"""Inventors' rewards recur with each royalty of a licence: a deal has many rewards, one per
royalty report (and one for its price); the market sets a royalty's reward (no one awards it)

Revision ID: 0043_royalty_rewards
Revises: 0042_trade_record_rate
Create Date: 2026-12-03 03:10:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0043_royalty_rewards"
down_revision = "0042_trade_record_rate"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deal_rewards", schema=None) as batch_op:
        batch_op.add_column(sa.Column("royalty_report_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint("uq_deal_rewards_deal_id", type_="unique")
        batch_op.create_index(batch_op.f("ix_deal_rewards_deal_id"), ["deal_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_deal_rewards_royalty_report_id"), ["royalty_report_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_deal_rewards_royalty_report_id_royalty_reports"),
            "royalty_reports",
            ["royalty_report_id"],
            ["id"],
        )
        batch_op.alter_column("awarded_by_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute(
        "DELETE FROM reward_lines WHERE reward_id IN (SELECT id FROM deal_rewards WHERE royalty_report_id IS NOT NULL)"
    )
    op.execute("DELETE FROM deal_rewards WHERE royalty_report_id IS NOT NULL")
    with op.batch_alter_table("deal_rewards", schema=None) as batch_op:
        batch_op.alter_column("awarded_by_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(
            batch_op.f("fk_deal_rewards_royalty_report_id_royalty_reports"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_deal_rewards_royalty_report_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_deal_rewards_deal_id"))
        batch_op.create_unique_constraint("uq_deal_rewards_deal_id", ["deal_id"])
        batch_op.drop_column("royalty_report_id")
