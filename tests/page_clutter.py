"""What page clutter looks like inside an evidence sentence: shared by the seed and demo tests."""

from __future__ import annotations

import re

from eventwire.records import Article

CLUTTER = [
    (re.compile(r"\n"), "a line break (two paragraphs glued)"),
    (re.compile(r"\s[|»›]\s|\s>\s[A-Z]"), "a menu or breadcrumb separator"),
    (re.compile(r"\b\d+\s+(?:minutes?|mins?|hours?|days?)\s+ago\b|\bGMT[+-]?\d*\b|\bLast Update", re.I),
     "a time stamp"),
    (re.compile(r"©|\bPhoto(?:graph)?\s*:|\bReporting by\b", re.I), "a credit"),
    (re.compile(r"^By (?:[A-Z][\w.'’-]+\s?){2,4}(?:,|\band\b|$)"), "a byline"),
    (re.compile(r"^(?:[”’)\]]|\"\s)"), "a closing quote or bracket left from the previous sentence"),
    (re.compile(r"^[a-z]"), "a sentence cut in the middle"),
    (re.compile(r"\b(?:[a-z0-9-]+\.)+example\b"), "the site's own address"),
    (re.compile(r"\b[A-Z]{2}\s*\|\s*[A-Z]{2}\b"), "a language switcher"),
]


def clutter_in(article: Article) -> list[tuple[str, str]]:
    """(problem, sentence) for every evidence sentence of the article that carries page clutter:
    a pattern above, a line extraction dropped as boilerplate, or the title glued to it."""
    found = []
    for event in article.events:
        sentence = event.evidence.sentence.strip()
        for pattern, problem in CLUTTER:
            if pattern.search(sentence):
                found.append((problem, sentence))
        for line in article.removed:
            if len(line.split()) >= 3 and line in sentence:
                found.append((f"a dropped line: {line[:40]}", sentence))
        if article.title and article.title in sentence and sentence != article.title:
            found.append(("the title glued to a sentence", sentence))
    return found
