"""alert keys: saved searches are filed in memory by each alert worker, kept fresh by a change log

The keys table goes: the alert index (search.alert_index) derives each search's key
from its terms and filters when it loads, so the existing saved searches are re-keyed
by the first match after this migration, with nothing stored per search. The
generation row starts at 0 with a fresh token; the change log starts empty.

Revision ID: 0019_alert_keys
Revises: 0014_auction_trust
Create Date: 2026-12-02 12:40:00

"""

import json
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019_alert_keys"
down_revision = "0019_webhooks"
branch_labels = None
depends_on = None


def upgrade():
    generation = op.create_table(
        "saved_search_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search_generation")),
    )
    op.bulk_insert(generation, [{"id": 1, "generation": 0, "token": secrets.token_hex(16)}])
    op.create_table(
        "saved_search_changes",
        sa.Column("generation", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("saved_search_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("generation", name=op.f("pk_saved_search_changes")),
    )
    with op.batch_alter_table("saved_search_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_saved_search_keys_saved_search_id")
        batch_op.drop_index("ix_saved_search_keys_key")
    op.drop_table("saved_search_keys")


def _old_key(terms, filters):
    """0010's key of a search: its longest word, else a one-valued facet, else '*'."""
    words = sorted(set(terms.split()), key=lambda w: (-len(w), w))
    if words:
        return f"w:{words[0]}"[:80]
    for facet in sorted(filters):
        if len(filters[facet]) == 1:
            return f"f:{facet}={filters[facet][0]}"[:80]
    return "*"


def downgrade():
    keys = op.create_table(
        "saved_search_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("saved_search_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("decides", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_search_id"],
            ["saved_searches.id"],
            name=op.f("fk_saved_search_keys_saved_search_id_saved_searches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search_keys")),
    )
    with op.batch_alter_table("saved_search_keys", schema=None) as batch_op:
        batch_op.create_index("ix_saved_search_keys_key", ["key", "decides"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_saved_search_keys_saved_search_id"), ["saved_search_id"], unique=False
        )
    rows = op.get_bind().execute(sa.text("SELECT id, terms, filters FROM saved_searches"))
    # decides=False: every candidate is checked (correct; the old shortcut needs the analyser)
    op.bulk_insert(
        keys,
        [
            {
                "saved_search_id": id_,
                "decides": False,
                "key": _old_key(
                    terms, json.loads(filters) if isinstance(filters, str) else filters
                ),
            }
            for id_, terms, filters in rows
        ],
    )
    op.drop_table("saved_search_changes")
    op.drop_table("saved_search_generation")
