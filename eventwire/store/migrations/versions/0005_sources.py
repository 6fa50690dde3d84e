"""Sources: watched feeds, sitemaps and pages, the fetch queue, and article versions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('sources',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('outlet', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('added_at', sa.String(length=32), nullable=True),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('body_hash', sa.String(length=64), nullable=True),
    sa.Column('next_fetch_at', sa.String(length=32), nullable=True),
    sa.Column('last_fetch_at', sa.String(length=32), nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('last_links', sa.Integer(), nullable=False),
    sa.Column('new_articles', sa.Integer(), nullable=False),
    sa.Column('articles', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('url')
    )
    op.create_index('ix_sources_next_fetch_at', 'sources', ['next_fetch_at'], unique=False)
    op.create_table('source_pages',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=40), nullable=True),
    sa.Column('stamp', sa.Text(), nullable=True),
    sa.Column('outlet', sa.String(length=200), nullable=True),
    sa.Column('discovered_at', sa.String(length=32), nullable=True),
    sa.Column('due_at', sa.String(length=32), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('fetched_at', sa.String(length=32), nullable=True),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('body_hash', sa.String(length=64), nullable=True),
    sa.Column('final_url', sa.Text(), nullable=True),
    sa.Column('content_type', sa.Text(), nullable=True),
    sa.Column('body', sa.LargeBinary(), nullable=True),
    sa.Column('article_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('url')
    )
    op.create_index('ix_source_pages_source_id', 'source_pages', ['source_id'], unique=False)
    op.create_index('ix_source_pages_state', 'source_pages', ['state'], unique=False)
    op.create_index('ix_source_pages_due_at', 'source_pages', ['due_at'], unique=False)
    op.create_index('ix_source_pages_article_id', 'source_pages', ['article_id'], unique=False)
    op.create_table('article_versions',
    sa.Column('page_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('previous_id', sa.String(length=32), nullable=True),
    sa.Column('stored_at', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['page_id'], ['source_pages.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('page_id', 'version')
    )
    op.create_index('ix_article_versions_article_id', 'article_versions', ['article_id'],
                    unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_article_versions_article_id', table_name='article_versions')
    op.drop_table('article_versions')
    for name in ('article_id', 'due_at', 'state', 'source_id'):
        op.drop_index(f'ix_source_pages_{name}', table_name='source_pages')
    op.drop_table('source_pages')
    op.drop_index('ix_sources_next_fetch_at', table_name='sources')
    op.drop_table('sources')
