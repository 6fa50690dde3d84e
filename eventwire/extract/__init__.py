"""Extraction stage: raw document -> Article with clean text and metadata.

A chain of plain functions by concern:

* ``html``: web page -> main text and page metadata (trafilatura, readability as second opinion);
* ``boilerplate``: text -> title, body and dropped boilerplate lines (line features + lexicon);
* ``dates``: publication date from metadata, stamps, datelines and weekday-dated mentions;
* ``outlets``: outlet from URL, agency tags, self-references and footers;
* ``language``: language of the clean text.
"""

from __future__ import annotations

import datetime as dt

from ..errors import InputError
from ..records import Article, RawDocument, content_hash
from ..settings import Settings
from . import outlets as outlet_rules
from .boilerplate import CleanText, clean_text, usable_title
from .dates import DateFinding, date_from_html, date_from_text, parse_date_value
from .html import HtmlExtraction, extract_html
from .language import detect_language

__all__ = ["extract", "published_date"]


def _knowledge(settings: Settings, suffix: str) -> tuple[str, ...]:
    return tuple(p for p in settings.knowledge_files if p.endswith(suffix))


def extract(raw: RawDocument, settings: Settings) -> Article:
    """Turn a raw document into an Article (clean text, title, date, outlet, language).

    Raises errors.InputError when no article text is left.
    """
    page: HtmlExtraction | None = None
    if raw.html is not None:
        if len(raw.html) > settings.max_input_bytes:
            raise InputError(f"page of {len(raw.html)} characters exceeds the input limit of "
                             f"{settings.max_input_bytes} bytes", origin=raw.origin)
        page = extract_html(raw.html, raw.url)
        source_text = page.text
    else:
        source_text = raw.text or ""
    # A page's headline comes from its metadata; a first body line repeating it is dropped.
    # An id or the site's own name in the title field is no headline.
    site_names = tuple(n for n in (raw.outlet, page.sitename if page else None) if n)
    known_title = next((t for t in (raw.title, page.title if page else None)
                        if usable_title(t, site_names)), None)
    cleaned = clean_text(source_text, _knowledge(settings, "boilerplate.tsv"),
                         find_title=page is None or bool(known_title), known_title=known_title)
    if not cleaned.text.strip():
        where = "the page" if page is not None else "the text"
        raise InputError(f"no article text found in {where} (everything read as boilerplate or empty)",
                         origin=raw.origin)

    title = known_title or (cleaned.title if usable_title(cleaned.title, site_names) else None)
    finding = find_published(raw, cleaned, page, settings.today)
    table = outlet_rules.load_outlets(_knowledge(settings, "outlets.tsv"))
    outlet, outlet_domain = find_outlet(raw, cleaned, page, table)
    return Article(
        id=content_hash(cleaned.text),
        text=cleaned.text,
        source_path=raw.source_path,
        url=raw.url or (page.url if page else None),
        outlet=outlet,
        outlet_domain=outlet_domain,
        reprint=is_reprint(cleaned),
        title=title.strip() if title else None,
        published=finding.date.isoformat() if finding.date else None,
        published_note=finding.note,
        language=detect_language(cleaned.text),
        removed=cleaned.removed,
    )


def published_date(raw: RawDocument, settings: Settings) -> DateFinding:
    """The publication date of a document, also when it holds no article text to extract."""
    try:
        article = extract(raw, settings)
    except InputError:
        empty = CleanText(title=None, text="")
        return find_published(raw, empty, None, settings.today)
    return DateFinding(dt.date.fromisoformat(article.published) if article.published else None,
                       article.published_note or "")


def find_published(raw: RawDocument, cleaned: CleanText, page: HtmlExtraction | None,
                   today: dt.date) -> DateFinding:
    """The publication date, by precedence: the document's own metadata field, the page's
    markup (htmldate: JSON-LD, meta tags, URL, original date), then the text's stamps,
    dateline and weekday-dated mentions.
    """
    if raw.published:
        found = parse_date_value(raw.published, today)
        if found:
            return DateFinding(found, f"from the document's metadata '{raw.published}'")
    if raw.html is not None:
        from_markup = date_from_html(raw.html, raw.url, today)
        if from_markup is not None:
            return from_markup
    finding = date_from_text(cleaned.header + cleaned.stamps, cleaned.text, today)
    if raw.published and finding.date is None:
        finding.note = f"metadata date '{raw.published}' is not a date; " + finding.note
    return finding


_SITE_KINDS = ("masthead", "copyright", "promo", "newsletter", "block", "related", "navigation")


def find_outlet(raw: RawDocument, cleaned: CleanText, page: HtmlExtraction | None,
                table: outlet_rules.OutletTable) -> tuple[str | None, str | None]:
    """The outlet and its web domain (when the page shows one).

    Outlet, by precedence: metadata, URL domain, agency tag, self-reference, footer, the
    page's site name. A domain missing from the outlet table is named by the name the page
    gives the site when that name spells the domain, else by the domain itself.
    """
    url = raw.url or (page.url if page else None)
    host = outlet_rules.outlet_from_url(url, outlet_rules.EMPTY) if url else None
    site_lines = [line for kind, line in cleaned.removed_kinds if kind in _SITE_KINDS]
    names = [raw.outlet, page.sitename if page else None, *outlet_rules.names_in_lines(site_lines)]
    domains = [host, *outlet_rules.domains_in_lines(site_lines)]
    site = outlet_rules.named_site(names, domains)

    def by_domain(domain: str | None) -> str | None:
        """A domain's outlet: from the table, else the page's name for it, else the domain."""
        if not domain:
            return None
        known = outlet_rules.outlet_from_domain(domain, table)
        if known:
            return known
        if site is not None and site[1] == domain:
            return site[0]
        return domain

    if raw.outlet:
        return outlet_rules.canonical_name(raw.outlet, table), host or (site[1] if site else None)
    if host:
        return by_domain(host), host
    by_tag = outlet_rules.outlet_from_agency_tag(cleaned.text, table)
    if by_tag:
        return by_tag, None
    related = [line for kind, line in cleaned.removed_kinds if kind == "related"]
    reference = outlet_rules.outlet_from_self_reference(related, table)
    if reference:
        domain = reference if "." in reference and " " not in reference else None
        return (by_domain(domain) if domain else reference), domain
    footers = [line for kind, line in cleaned.removed_kinds
               if kind in ("newsletter", "block", "copyright")]
    by_footer = outlet_rules.outlet_from_footer(footers, table)
    if by_footer:
        return by_footer, None
    if site is not None:
        return site
    if page is not None and page.sitename:
        return outlet_rules.canonical_name(page.sitename, table), None
    return None, None


def is_reprint(cleaned: CleanText) -> bool:
    """True when the text shows a republisher's artifacts (see data/boilerplate.tsv, column reprint)."""
    kinds = [signal.split(":", 1)[0] for signal in cleaned.reprint_signals]
    if "yes" in kinds:
        return True
    has_footer = any(kind in ("newsletter",) for kind, _line in cleaned.removed_kinds)
    return has_footer and "after-footer" in kinds
