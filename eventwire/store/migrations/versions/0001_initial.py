"""Initial schema: articles, actors, events, quotes, stories and their links.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('actors',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('sector', sa.String(length=10), nullable=True),
    sa.Column('role', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actors_country'), ['country'], unique=False)

    op.create_table('articles',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('source_path', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('outlet', sa.String(length=200), nullable=True),
    sa.Column('reprint', sa.Boolean(), nullable=False),
    sa.Column('reprint_of', sa.String(length=32), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('published_note', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('removed', sa.JSON(), nullable=True),
    sa.Column('mentions', sa.JSON(), nullable=True),
    sa.Column('story_id', sa.String(length=32), nullable=True),
    sa.Column('ingested_at', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_outlet'), ['outlet'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_story_id'), ['story_id'], unique=False)

    op.create_table('canonical_events',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('source_key', sa.Text(), nullable=True),
    sa.Column('target_key', sa.Text(), nullable=True),
    sa.Column('article_count', sa.Integer(), nullable=True),
    sa.Column('outlet_count', sa.Integer(), nullable=True),
    sa.Column('first_reported', sa.String(length=10), nullable=True),
    sa.Column('last_reported', sa.String(length=10), nullable=True),
    sa.Column('story_id', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('canonical_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_canonical_events_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_canonical_events_story_id'), ['story_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_canonical_events_type'), ['type'], unique=False)

    op.create_table('stories',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('first_date', sa.String(length=10), nullable=True),
    sa.Column('last_date', sa.String(length=10), nullable=True),
    sa.Column('article_count', sa.Integer(), nullable=True),
    sa.Column('outlet_count', sa.Integer(), nullable=True),
    sa.Column('centroid', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('article_actors',
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('actor_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], ),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'actor_id')
    )
    op.create_table('article_signatures',
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('minhash', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id')
    )
    op.create_table('events',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('mode', sa.String(length=40), nullable=True),
    sa.Column('contexts', sa.JSON(), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('date_note', sa.Text(), nullable=True),
    sa.Column('location', sa.JSON(), nullable=True),
    sa.Column('negated', sa.Boolean(), nullable=False),
    sa.Column('future', sa.Boolean(), nullable=False),
    sa.Column('hypothetical', sa.Boolean(), nullable=False),
    sa.Column('historical', sa.Boolean(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('cameo', sa.String(length=8), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('trigger', sa.Text(), nullable=True),
    sa.Column('canonical_id', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_canonical_id'), ['canonical_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_type'), ['type'], unique=False)
        batch_op.create_index('ix_events_type_date', ['type', 'date'], unique=False)

    op.create_table('quotes',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=True),
    sa.Column('cue', sa.Text(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('speaker_text', sa.Text(), nullable=True),
    sa.Column('speaker_name', sa.Text(), nullable=True),
    sa.Column('speaker_country', sa.String(length=3), nullable=True),
    sa.Column('speaker_sector', sa.String(length=10), nullable=True),
    sa.Column('speaker_actor_id', sa.String(length=200), nullable=True),
    sa.Column('speaker_start', sa.Integer(), nullable=True),
    sa.Column('speaker_end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_speaker_actor_id'), ['speaker_actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_speaker_country'), ['speaker_country'], unique=False)

    op.create_table('event_actors',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=6), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('sector', sa.String(length=10), nullable=True),
    sa.Column('actor_id', sa.String(length=200), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'role', 'position')
    )
    with op.batch_alter_table('event_actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_actors_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_actors_country'), ['country'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('event_actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_actors_country'))
        batch_op.drop_index(batch_op.f('ix_event_actors_actor_id'))

    op.drop_table('event_actors')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_speaker_country'))
        batch_op.drop_index(batch_op.f('ix_quotes_speaker_actor_id'))
        batch_op.drop_index(batch_op.f('ix_quotes_article_id'))

    op.drop_table('quotes')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_type_date')
        batch_op.drop_index(batch_op.f('ix_events_type'))
        batch_op.drop_index(batch_op.f('ix_events_date'))
        batch_op.drop_index(batch_op.f('ix_events_canonical_id'))
        batch_op.drop_index(batch_op.f('ix_events_article_id'))

    op.drop_table('events')
    op.drop_table('article_signatures')
    op.drop_table('article_actors')
    op.drop_table('stories')
    with op.batch_alter_table('canonical_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_canonical_events_type'))
        batch_op.drop_index(batch_op.f('ix_canonical_events_story_id'))
        batch_op.drop_index(batch_op.f('ix_canonical_events_date'))

    op.drop_table('canonical_events')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_story_id'))
        batch_op.drop_index(batch_op.f('ix_articles_published'))
        batch_op.drop_index(batch_op.f('ix_articles_outlet'))

    op.drop_table('articles')
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actors_country'))

    op.drop_table('actors')
