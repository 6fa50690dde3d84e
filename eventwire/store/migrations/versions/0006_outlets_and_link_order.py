"""Outlet aliases (a site's web domain kept as an alias of the outlet's name) and the order in
which articles were linked to stories (so a rebuild replays it and keeps every story id).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('outlet_aliases',
                    sa.Column('alias', sa.String(length=200), nullable=False),
                    sa.Column('outlet', sa.String(length=200), nullable=False),
                    sa.PrimaryKeyConstraint('alias'))
    with op.batch_alter_table('articles') as batch:
        batch.add_column(sa.Column('link_order', sa.Integer(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('link_order')
    op.drop_table('outlet_aliases')
