"""Indexed sort date on events; indexes for actor and story look-ups.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('sort_date', sa.String(length=10), nullable=True))
    op.execute("UPDATE events SET sort_date = COALESCE(date, "
               "(SELECT published FROM articles WHERE articles.id = events.article_id))")
    op.create_index('ix_events_sort_date', 'events', ['sort_date'], unique=False)
    op.create_index('ix_article_actors_actor', 'article_actors', ['actor_id'], unique=False)
    op.create_index('ix_stories_dates', 'stories', ['first_date', 'last_date'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_stories_dates', table_name='stories')
    op.drop_index('ix_article_actors_actor', table_name='article_actors')
    op.drop_index('ix_events_sort_date', table_name='events')
    with op.batch_alter_table('events') as batch:
        batch.drop_column('sort_date')
