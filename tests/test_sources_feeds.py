"""What a fetched body holds: RSS and Atom feeds, sitemaps, pages; URLs and limits (no network)."""

from __future__ import annotations

import gzip
import ipaddress
import time

import pytest

from eventwire.errors import InputError, SourceError, UnsafeURL
from eventwire.sources import documents, feeds, sitemaps, urls
from eventwire.sources.links import Link, newest_first
from eventwire.sources.policy import parse_duration, parse_network, parse_size, user_agent

from sources_server import atom, news_sitemap, rss, sitemap_index

FEED_URL = "https://wire.example/world/feed.xml"


def test_rss_items_become_links_with_dates_and_absolute_urls():
    body = rss([("/world/1", "Talks resume", "Mon, 17 Nov 2026 10:00:00 GMT"),
                ("https://wire.example/world/2#top", "Aid pledged", None),
                ("https://wire.example/world/2", "Duplicate of the second", None)])
    feed = feeds.parse_feed(body.encode(), FEED_URL, "application/rss+xml")
    assert [l.url for l in feed.links] == ["https://wire.example/world/1",
                                           "https://wire.example/world/2"]
    assert feed.links[0].title == "Talks resume"
    assert feed.links[0].published == "2026-11-17T10:00:00+00:00"
    assert feed.links[1].published is None and feed.links[1].stamp is None
    assert feed.title == "Test Wire" and feed.problem is None


def test_atom_entries_carry_their_updated_stamp():
    body = atom([("https://wire.example/a", "First", "2026-11-20T08:00:00Z"),
                 ("https://wire.example/b", "Second", "2026-11-21T09:30:00+02:00")])
    feed = feeds.parse_feed(body.encode(), FEED_URL)
    assert [(l.url, l.stamp) for l in feed.links] == [
        ("https://wire.example/a", "2026-11-20T08:00:00Z"),
        ("https://wire.example/b", "2026-11-21T09:30:00+02:00")]
    assert feed.links[1].published == "2026-11-21T07:30:00+00:00"


def test_rss_1_rdf_feed_is_read():
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
 <channel rdf:about="https://wire.example/"><title>RDF Wire</title><link>https://wire.example/</link>
 <description>d</description></channel>
 <item rdf:about="https://wire.example/r1"><title>One</title><link>https://wire.example/r1</link></item>
</rdf:RDF>"""
    assert [l.url for l in feeds.parse_feed(body, FEED_URL).links] == ["https://wire.example/r1"]
    assert documents.kind_of(body, "application/rdf+xml") == "feed"


def test_malformed_xml_is_read_leniently_and_the_problem_noted():
    body = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Broken & co'
            b"</title><item><title>Ports reopen</title><link>https://wire.example/p1</link></item>"
            b"<item><title>Unclosed<link>https://wire.example/p2</link></item></channel>")
    feed = feeds.parse_feed(body, FEED_URL)
    assert "https://wire.example/p1" in [l.url for l in feed.links]
    assert feed.problem  # the reason the XML was not well-formed


def test_garbage_is_not_a_feed_and_the_error_names_the_url():
    with pytest.raises(SourceError) as caught:
        feeds.parse_feed(b"\x00\x01 this is no feed \xff" * 10, "https://user:pw@wire.example/f?token=s")
    message = str(caught.value)
    assert "not a readable RSS or Atom feed" in message and "wire.example" in message
    assert "pw" not in message.replace("pwd", "") and "token=s" not in message


def test_a_body_that_names_a_local_file_is_never_opened(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text(rss([("https://wire.example/leak", "local file", None)]), encoding="utf-8")
    with pytest.raises(SourceError):
        feeds.parse_feed(str(secret).encode(), FEED_URL)


@pytest.mark.parametrize("body, content_type, title", [
    # declared UTF-8, written in windows-1252 (a common server mistake)
    (('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>W</title>'
      "<item><title>Ministre des Affaires étrangères à Genève</title>"
      "<link>https://wire.example/fr</link></item></channel></rss>").encode("cp1252"),
     "application/xml", "Ministre des Affaires étrangères à Genève"),
    # no declaration in the XML: the charset of the HTTP header
    (('<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
      "<item><title>Переговоры в Анкаре</title><link>https://wire.example/ru</link></item>"
      "</channel></rss>").encode("windows-1251"),
     "text/xml; charset=windows-1251", "Переговоры в Анкаре"),
])
def test_feed_encodings(body, content_type, title):
    assert feeds.parse_feed(body, FEED_URL, content_type).links[0].title == title


def test_huge_feed_is_parsed_and_cut_newest_first():
    items = [(f"https://wire.example/n/{i}", f"Item {i}",
              time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(1_790_000_000 + 60 * i)))
             for i in range(5000)]
    feed = feeds.parse_feed(rss(items).encode(), FEED_URL)
    assert len(feed.links) == 5000
    ordered = newest_first(feed.links)
    assert ordered[0].url == "https://wire.example/n/4999"
    assert ordered[-1].url == "https://wire.example/n/0"


def test_newest_first_keeps_undated_links_after_dated_ones():
    links = [Link("https://a/1"), Link("https://a/2", published="2026-01-02T00:00:00+00:00"),
             Link("https://a/3", stamp="2026-03-01")]
    assert [l.url for l in newest_first(links)] == ["https://a/3", "https://a/2", "https://a/1"]


# --- sitemaps ---

def test_news_sitemap_gives_title_date_and_publication():
    body = news_sitemap([("https://wire.example/s1", "Border reopens", "2026-11-20T10:00:00+01:00"),
                         ("/s2", "Relative link", "2026-11-21")], publication="Harbor Daily")
    sitemap = sitemaps.parse_sitemap(body.encode(), "https://wire.example/news.xml", 10_000_000)
    assert sitemap.kind == "urlset"
    first, second = sitemap.links
    assert (first.url, first.title, first.outlet) == ("https://wire.example/s1", "Border reopens",
                                                      "Harbor Daily")
    assert first.published == "2026-11-20T09:00:00+00:00"
    assert second.url == "https://wire.example/s2" and second.published == "2026-11-21"


def test_sitemap_index_lists_children_newest_first():
    body = sitemap_index([("https://wire.example/sm-old.xml", "2026-01-01"),
                          ("https://wire.example/sm-new.xml.gz", "2026-11-20T00:00:00Z"),
                          ("https://wire.example/sm-undated.xml", None)])
    sitemap = sitemaps.parse_sitemap(body.encode(), "https://wire.example/index.xml", 10_000_000)
    assert sitemap.kind == "index"
    assert [c[0] for c in sitemap.children] == ["https://wire.example/sm-new.xml.gz",
                                                "https://wire.example/sm-old.xml",
                                                "https://wire.example/sm-undated.xml"]


def test_gzipped_sitemap_and_a_gzip_bomb():
    body = gzip.compress(news_sitemap([("https://wire.example/g1", "Zipped", "2026-11-20")]).encode())
    assert documents.kind_of(body, "application/x-gzip") == "sitemap"
    assert [l.url for l in sitemaps.parse_sitemap(body, "https://wire.example/s.xml.gz",
                                                  1_000_000).links] == ["https://wire.example/g1"]
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    assert len(bomb) < 10_000
    with pytest.raises(SourceError, match="more than 1000000 bytes"):
        sitemaps.parse_sitemap(bomb, "https://wire.example/bomb.xml.gz", 1_000_000)


def test_sitemap_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")
    body = (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY leak SYSTEM "file://{secret}">]>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>https://wire.example/x?&leak;</loc></url></urlset>").encode()
    sitemap = sitemaps.parse_sitemap(body, "https://wire.example/s.xml", 1_000_000)
    assert all("TOP-SECRET" not in l.url for l in sitemap.links)


def test_not_a_sitemap():
    with pytest.raises(SourceError, match="root element is <html>"):
        sitemaps.parse_sitemap(b"<html><body>hi</body></html>", "https://wire.example/", 1000)


# --- documents ---

@pytest.mark.parametrize("body, kind", [
    (b'<?xml version="1.0"?>\n<!-- c --><rss version="2.0"></rss>', "feed"),
    (b'\xef\xbb\xbf<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "feed"),
    (b'<?xml version="1.0"?><urlset xmlns="x"></urlset>', "sitemap"),
    (b"<sitemapindex></sitemapindex>", "sitemap"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "page"),
    (b"plain words", "page"),
])
def test_kind_of_a_body(body, kind):
    assert documents.kind_of(body, None) == kind


def test_page_charset_from_header_then_meta_then_fallback():
    text = "Министр иностранных дел заявил о переговорах"
    html = f"<html><body><p>{text}</p></body></html>"
    by_header = documents.page_document(html.encode("windows-1251"), "https://w.example/a",
                                        "text/html; charset=windows-1251")
    assert text in by_header.html
    meta = f'<html><head><meta charset="koi8-r"></head><body><p>{text}</p></body></html>'
    by_meta = documents.page_document(meta.encode("koi8-r"), "https://w.example/b", "text/html")
    assert text in by_meta.html
    wrong_header = "<html><body><p>Genève</p></body></html>".encode("cp1252")
    assert "Genève" in documents.page_document(wrong_header, "https://w.example/c",
                                               "text/html; charset=utf-8").html


def test_page_document_keeps_no_credentials_and_refuses_other_types():
    raw = documents.page_document(b"<html><body><p>x</p></body></html>",
                                  "https://u:pw@w.example/a?token=abc", "text/html", outlet="W")
    assert raw.url == "https://w.example/a?token=abc" and raw.outlet == "W"
    assert "pw" not in raw.origin and "abc" not in raw.origin
    text = documents.page_document(b"Plain report.", "https://w.example/t", "text/plain")
    assert text.text == "Plain report." and text.html is None
    with pytest.raises(InputError, match="not a web page: Content-Type application/pdf"):
        documents.page_document(b"%PDF-1.7", "https://w.example/p.pdf", "application/pdf")


# --- URLs and settings ---

def test_normalise_and_check_urls():
    assert urls.normalise("HTTPS://Wire.Example:443/a?b=1#frag") == "https://wire.example/a?b=1"
    assert urls.normalise("http://wire.example:8080") == "http://wire.example:8080/"
    assert urls.normalise("../x", base="https://wire.example/a/b/") == "https://wire.example/a/x"
    for bad in ("ftp://wire.example/f", "file:///etc/passwd", "javascript:alert(1)", "mailto:a@b",
                "https://", "wire.example/feed"):
        assert urls.normalise(bad) is None
        with pytest.raises(UnsafeURL):
            urls.checked(bad)


def test_redact_hides_passwords_and_secret_parameters():
    shown = urls.redact("https://alice:hunter2@wire.example/feed?api_key=K1&page=2&token=T9")
    assert "hunter2" not in shown and "K1" not in shown and "T9" not in shown
    assert "alice" in shown and "page=2" in shown
    assert urls.redact("https://wire.example/a?b=1") == "https://wire.example/a?b=1"


def test_durations_sizes_networks_and_user_agent():
    assert parse_duration("15m") == 900 and parse_duration("2h") == 7200 and parse_duration("45") == 45
    assert parse_size("5MB") == 5 * 1024 ** 2 and parse_size("512k") == 512 * 1024
    assert parse_network("10.1.0.0/16") == ipaddress.ip_network("10.1.0.0/16")
    for bad, parse in (("soon", parse_duration), ("-1s", parse_duration), ("lots", parse_size),
                       ("10.1.0.0/33", parse_network)):
        with pytest.raises(ValueError):
            parse(bad)
    agent = user_agent("ops@newsroom.example")
    assert agent.startswith("eventwire/") and "robots token eventwire" in agent
    assert "ops@newsroom.example" in agent
