"""Event readings: generic modality, date basis, tense and aspect, reciprocal events, the
both-sides and international flags, and a confidence per event.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FLAGS = ('generic', 'reciprocal', 'both_sides', 'international')


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('events') as batch:
        for name in FLAGS:
            batch.add_column(sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('date_basis', sa.String(length=12), nullable=True))
        batch.add_column(sa.Column('tense', sa.String(length=12), nullable=True))
        batch.add_column(sa.Column('aspect', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('confidence', sa.Float(), nullable=True))
    op.create_index('ix_events_both_sides', 'events', ['both_sides'], unique=False)
    op.create_index('ix_events_international', 'events', ['international'], unique=False)
    op.create_index('ix_events_confidence', 'events', ['confidence'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_events_confidence', table_name='events')
    op.drop_index('ix_events_international', table_name='events')
    op.drop_index('ix_events_both_sides', table_name='events')
    with op.batch_alter_table('events') as batch:
        for name in ('confidence', 'aspect', 'tense', 'date_basis', *FLAGS):
            batch.drop_column(name)
