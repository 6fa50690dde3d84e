"""The happenings of each pair of actors grouped in advance (dyad_happenings), filled from the
events already stored; the confidence of events on their event keys, which are indexed by actor,
side and date (an actor's newest events, its count at a confidence);
event pairs indexed by canonical event; store_totals, the overview's counts kept by the writers.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    from eventwire.store import happenings, totals

    op.create_table('dyad_happenings',
                    sa.Column('a', sa.String(length=200), nullable=False),
                    sa.Column('b', sa.String(length=200), nullable=False),
                    sa.Column('directed', sa.Boolean(), nullable=False),
                    sa.Column('happening', sa.String(length=64), nullable=False),
                    sa.Column('level', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('above', sa.Float(), nullable=True),
                    sa.Column('upto', sa.Float(), nullable=True),
                    sa.Column('type', sa.String(length=16), nullable=False),
                    sa.Column('date', sa.String(length=10), nullable=True),
                    sa.Column('score', sa.Float(), nullable=True),
                    sa.Column('reports', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('a', 'b', 'directed', 'happening', 'level'),
                    sqlite_with_rowid=False)
    op.create_table('store_totals',
                    sa.Column('name', sa.String(length=40), nullable=False),
                    sa.Column('value', sa.BigInteger(), nullable=False),
                    sa.PrimaryKeyConstraint('name'))
    linked = sa.text('canonical_id IS NOT NULL')
    op.create_index('ix_event_pairs_canonical', 'event_pairs', ['canonical_id'],
                    sqlite_where=linked, postgresql_where=linked)
    op.drop_index('ix_event_keys_key_role', table_name='event_keys')
    op.add_column('event_keys', sa.Column('confidence', sa.Float(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute("UPDATE event_keys k SET confidence = e.confidence FROM events e "
                   "WHERE e.id = k.event_id AND e.confidence IS NOT NULL")
    else:
        op.execute("UPDATE event_keys SET confidence = (SELECT confidence FROM events "
                   "WHERE events.id = event_keys.event_id)")
    op.create_index('ix_event_keys_key_role_date', 'event_keys',
                    ['key', 'role', 'sort_date', 'event_id', 'confidence'])
    happenings.rebuild(bind)
    op.create_index('ix_dyad_happenings_happening', 'dyad_happenings', ['happening'])
    totals.recount(bind)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_dyad_happenings_happening', table_name='dyad_happenings')
    op.drop_index('ix_event_keys_key_role_date', table_name='event_keys')
    op.drop_column('event_keys', 'confidence')
    op.create_index('ix_event_keys_key_role', 'event_keys', ['key', 'role', 'event_id'])
    op.drop_index('ix_event_pairs_canonical', table_name='event_pairs')
    op.drop_table('store_totals')
    op.drop_table('dyad_happenings')
