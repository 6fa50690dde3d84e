"""Stories: document frequencies of hashed terms for online TF-IDF story clustering.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('story_terms',
    sa.Column('term', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('df', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('term')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('story_terms')
