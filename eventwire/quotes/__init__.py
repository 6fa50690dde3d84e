"""Quotes stage: direct, partial and indirect quotations with resolved speakers.

Direct and partial quotes come from quotation marks in the text (:mod:`.marks`); indirect quotes
from speech verbs with a reported clause and "according to" phrases in the parse. Speakers are the
noun phrases the cues point to (:mod:`.attribution`), resolved to actors by the actors stage.
The rules are documented in docs/quotes.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from ..limits import checkpoint
from ..records import ActorMention, ParsedArticle, Quote
from ..settings import Settings
from .attribution import (Attribution, cue_text, is_cue_verb, noun_phrase, source_phrase,
                          speaker_mention, subject_of)
from .lexicon import CueLexicon, cue_files, load_cues
from .marks import DASHES, Paragraphs, QuotedSpan, quoted_spans

__all__ = ["find_quotes"]

SCARE_QUOTE_WORDS = 4  # an unattributed quoted fragment shorter than this is a scare quote or title
SHORT_SENTENCE = 10  # tokens: "he said, ..." split off after a quote still attributes it
MIN_CLAUSE_TOKENS = 3
TITLE_WORDS = 8
PRONOUNS = frozenset({"he", "she", "it", "they", "we"})
NOUN_POSITIONS = ("pobj", "poss", "compound", "appos", "nmod", "npadvmod")
# a transcript speaker label at a paragraph start: "SMITH: ..." (used when the article repeats it)
SPEAKER_LABEL = re.compile(r"[\s\"“]*([A-Z][A-Z.'’\- ]{0,30}[A-Z]):[ \t\u00a0]+(?=\S)")
COVERED = 0.5  # an indirect clause mostly inside quotation marks is the direct quote itself
DASH_NAME = re.compile(r"([\s\u00a0]*[" + DASHES + r"][\s\u00a0]*)(?=\w)")


@dataclass
class _Context:
    """What every rule of one article reads: the parse, the marks, the cues, the paragraphs."""

    doc: Doc
    text: str
    quoted: list[bool]  # per token: inside quotation marks
    lexicon: CueLexicon
    paragraphs: Paragraphs
    labels: dict[str, int]  # transcript speaker labels and how often they open a paragraph
    sentences: list[Span]
    sentence_of: list[int]  # per token: its sentence's number

    def sentence(self, i: int) -> Span:
        return self.sentences[self.sentence_of[i]]

    def paragraph(self, token) -> int:
        return self.paragraphs.of(token.idx)

    def speaker_from(self, verb) -> Attribution | None:
        """The attribution of a cue verb whose speaker stands outside quotes, in its paragraph."""
        speaker = subject_of(verb, self.lexicon, self.quoted)
        if speaker is None or self.paragraph(speaker.root) != self.paragraph(verb):
            return None
        return Attribution(cue=cue_text(verb, self.lexicon), speaker=speaker, cue_token=verb,
                           speech=self.lexicon.is_speech(verb.lemma_))

    def clip(self, span: Span | None, token) -> Span | None:
        """``span`` cut to the paragraph of ``token``: spaCy sentences may run across lines."""
        if span is None:
            return None
        low, high = self.paragraphs.bounds(self.paragraph(token))
        tokens = [t.i for t in span if low <= t.idx < high]
        return _trim(self.doc, tokens[0], tokens[-1] + 1) if tokens else None


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    attribution: Attribution | None
    paragraph: int


def find_quotes(parsed: ParsedArticle, settings: Settings) -> list[Quote]:
    """Find every quotation in the article and resolve its speaker."""
    lexicon = load_cues(cue_files(settings.knowledge_files))
    doc, text = parsed.doc, parsed.article.text
    spans = quoted_spans(text)
    paragraphs = Paragraphs(text)
    sentences = list(doc.sents)
    sentence_of = [0] * len(doc)
    for number, sentence in enumerate(sentences):
        sentence_of[sentence.start:sentence.end] = [number] * len(sentence)
    context = _Context(doc, text, _quoted_tokens(doc, spans), lexicon, paragraphs,
                       _speaker_labels(doc, text, paragraphs), sentences, sentence_of)
    found = []
    for s in spans:
        checkpoint()  # the document's time budget, per quoted span
        if f := _direct(context, s):
            found.append(f)
    found += _transcript_turns(context, spans)
    _continue_speakers(found)
    direct_ranges = [(f.start, f.end) for f in found if f.kind == "direct"]
    found += _indirect(context, direct_ranges)

    quotes, kept = [], []
    seen: set[tuple[int, int]] = set()
    for f in sorted(found, key=lambda f: (f.start, f.end)):
        if (f.start, f.end) in seen:
            continue
        seen.add((f.start, f.end))
        attribution = f.attribution
        speaker = speaker_mention(parsed, attribution.speaker) if attribution else None
        quotes.append(Quote(id=f"{parsed.article.id}-q{len(quotes) + 1}", text=text[f.start:f.end],
                            kind=f.kind, speaker=speaker,
                            cue=attribution.cue if attribution else None,
                            start=f.start, end=f.end))
        kept.append(f)
    _pronoun_speakers(quotes, [f.paragraph for f in kept])
    return quotes


def _pronoun_speakers(quotes: list[Quote], paragraphs: list[int]) -> None:
    """Speaker continuity: "he said" right after a named speaker's quote is that speaker, unless
    the article's memory resolved the pronoun to someone who is also quoted in the article."""
    named = [q.speaker for q in quotes
             if q.speaker and q.speaker.actor_id and q.speaker.text.lower() not in PRONOUNS]
    speaking = {m.actor_id for m in named}
    previous: tuple[ActorMention, int] | None = None
    for quote, paragraph in zip(quotes, paragraphs):
        speaker = quote.speaker
        if speaker is None:
            continue
        if speaker.text.lower() not in PRONOUNS:
            if speaker.actor_id:
                previous = (speaker, paragraph)
            continue
        if previous is None or paragraph - previous[1] > 1 or speaker.actor_id in speaking:
            continue
        actor = previous[0]
        quote.speaker = replace(speaker, name=actor.name, country=actor.country,
                                sector=actor.sector, actor_id=actor.actor_id)
        previous = (actor, paragraph)  # the run of quotes goes on


def _quoted_tokens(doc: Doc, spans: list[QuotedSpan]) -> list[bool]:
    """For each token: does it stand inside quotation marks (marks included)?"""
    quoted = [False] * len(doc)
    for s in spans:
        span = doc.char_span(s.open_at, s.close_at + 1, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                quoted[i] = True
    return quoted


def _direct(context: _Context, s: QuotedSpan) -> _Found | None:
    doc, quoted = context.doc, context.quoted
    content = doc.char_span(s.start, s.end, alignment_mode="expand")
    if content is None or len(content) == 0:
        return None
    first_sent, last_sent = context.sentence(content.start), context.sentence(content.end - 1)
    opening, closing = context.paragraphs.of(s.open_at), context.paragraphs.of(s.close_at)
    before = [t for t in first_sent if t.i < content.start and not quoted[t.i]
              and context.paragraph(t) == opening]
    after = [t for t in last_sent if t.i >= content.end and not quoted[t.i]
             and context.paragraph(t) == closing]
    if all(t.is_punct for t in after) and last_sent.end < len(doc):
        # spaCy may end the sentence at the closing mark: "“...?” | she said, ..."
        for t in context.sentence(last_sent.end)[:SHORT_SENTENCE]:
            if quoted[t.i] or context.paragraph(t) != closing:
                break
            after.append(t)
    if opening > 0 and not context.text[context.paragraphs.bounds(opening)[0]:s.open_at].strip():
        before = _introduction(context, opening - 1) or before  # the quote opens its paragraph
    kind = _direct_kind(context.text, s, before)
    if kind == "partial" and _is_title(content.text) and _in_noun_position(content):
        return None  # the name of a show, a book or a headline: On "Face the Nation," ...
    start = s.start
    label = SPEAKER_LABEL.match(context.text, s.start, s.end)
    if label and context.labels.get(label.group(1), 0) > 0:
        start = label.end()
        attribution = Attribution(cue=":", speaker=doc.char_span(*label.span(1)))
    else:
        attribution = _dash_attribution(context, s) or _attribute(context, content, before, after)
    if attribution is None and kind == "partial":
        attribution = _governing_subject(context, content)
    if attribution is None and kind == "partial" and len(content.text.split()) < SCARE_QUOTE_WORDS:
        return None
    if attribution is None and s.single and _is_title(content.text):
        return None
    return _Found(start, s.end, kind, attribution, opening)


def _is_title(text: str) -> bool:
    """Title Case words ("Evening Report", "Voices Of The Valley"): a name, not quoted speech."""
    words = re.findall(r"[^\W\d_][\w’'-]*", text)
    if not words or len(words) > TITLE_WORDS:
        return False
    long_words = [w for w in words if len(w) > 3] or words[:1]
    return all(w[0].isupper() for w in long_words) and words[0][0].isupper()


def _in_noun_position(content: Span) -> bool:
    root = content.root
    return (root.dep_ in NOUN_POSITIONS or root.head.pos_ in ("NOUN", "PROPN", "ADP")
            or any(child.dep_ == "poss" for child in root.children))


def _governing_subject(context: _Context, content: Span) -> Attribution | None:
    """Quoted words in a reporter's clause with no cue verb belong to the clause's subject:
    "the mayor had called the plan “a disgrace”"."""
    for ancestor in content.root.ancestors:
        if context.quoted[ancestor.i] or context.paragraph(ancestor) != context.paragraph(content[0]):
            return None
        if ancestor.pos_ in ("VERB", "AUX"):
            attribution = context.speaker_from(ancestor)
            if attribution is not None:
                attribution.speech = False
            return attribution
    return None


def _speaker_labels(doc: Doc, text: str, paragraphs: Paragraphs) -> dict[str, int]:
    """Speaker labels that open paragraphs: all of them in a transcript (some label opens several
    paragraphs), else only a person's name."""
    counts: dict[str, int] = {}
    spans = {}
    for start, end in zip(paragraphs.starts, paragraphs.ends):
        if (match := SPEAKER_LABEL.match(text, start, end)):
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
            spans.setdefault(match.group(1), match.span(1))
    people = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"}
    transcript = any(n > 1 for n in counts.values())
    return {label: n for label, n in counts.items() if transcript or spans[label] in people}


def _transcript_turns(context: _Context, spans: list[QuotedSpan]) -> list[_Found]:
    """Paragraphs of a transcript without quotation marks: "SMITH: We will ..."."""
    found = []
    for number, (start, end) in enumerate(zip(context.paragraphs.starts, context.paragraphs.ends)):
        match = SPEAKER_LABEL.match(context.text, start, end)
        if not match or context.labels.get(match.group(1), 0) == 0:
            continue
        if any(s.open_at <= match.end() <= s.close_at for s in spans):
            continue  # inside quotation marks: handled as a direct quote
        speaker = context.doc.char_span(*match.span(1))
        content_start, content_end = match.end(), end
        while content_end > content_start and context.text[content_end - 1].isspace():
            content_end -= 1
        found.append(_Found(content_start, content_end, "direct",
                            Attribution(cue=":", speaker=speaker), number))
    return found


def _introduction(context: _Context, paragraph: int) -> list:
    """The sentence ending a paragraph with a colon, which introduces the quote after it."""
    low, high = context.paragraphs.bounds(paragraph)
    span = context.doc.char_span(low, high, alignment_mode="expand")
    words = [t for t in span if not t.is_space] if span is not None else []
    if not words or words[-1].text != ":" or context.quoted[words[-1].i]:
        return []
    sentence = context.sentence(words[-1].i)
    return [t for t in sentence if low <= t.idx < high and not context.quoted[t.i]]


def _direct_kind(text: str, s: QuotedSpan, before: list) -> str:
    """"direct" for quoted sentences, "partial" for quoted words inside the reporter's sentence."""
    if not [t for t in before if not t.is_punct]:
        return "direct"
    i = s.open_at - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    first = next((c for c in text[s.start:s.end] if c.isalnum()), "")
    if (i < 0 or text[i] in "\n:," + DASHES) and (first.isupper() or first.isdigit()):
        return "direct"
    return "partial"


def _attribute(context: _Context, content: Span, before: list, after: list) -> Attribution | None:
    """The cue and speaker of quoted words, in order of evidence: the cue verb that governs the
    quote in the parse; a speech verb after it ("..., he said"); "according to X"; a speech verb
    before it ("He said: ..."); a dash or colon before a name ("... ― Jane Doe", "Doe: ...")."""
    doc, quoted, lexicon = context.doc, context.quoted, context.lexicon
    window = before + after
    near = {context.paragraph(content[0]), context.paragraph(content[-1])}
    first_part = doc[content.start: min(content.end, context.sentence(content.start).end)]
    last_part = doc[max(content.start, context.sentence(content.end - 1).start): content.end]
    for root in (first_part.root, last_part.root):
        for ancestor in root.ancestors:
            if (not quoted[ancestor.i] and is_cue_verb(ancestor, lexicon)
                    and context.paragraph(ancestor) in near):
                attribution = context.speaker_from(ancestor)
                if attribution:
                    return attribution
    speech_after = [t for t in after if t.pos_ in ("VERB", "AUX") and lexicon.is_speech(t.lemma_)]
    speech_before = [t for t in reversed(before)
                     if t.pos_ in ("VERB", "AUX") and lexicon.is_speech(t.lemma_)]
    for verb in speech_after:
        if attribution := context.speaker_from(verb):
            return attribution
    for token in window:
        found = source_phrase(doc, token.i, lexicon)
        if found and not quoted[found[1].root.i]:
            return Attribution(cue=found[0].text, speaker=found[1], cue_token=found[0][0])
    for verb in speech_before:
        if attribution := context.speaker_from(verb):
            return attribution
    return _punctuation_attribution(before)


def _dash_attribution(context: _Context, s: QuotedSpan) -> Attribution | None:
    """A name right after the closing mark and a dash: "..." ― Jane Doe."""
    match = DASH_NAME.match(context.text, s.close_at + 1)
    if match is None:
        return None
    first = context.doc.char_span(match.end(1), match.end(1) + 1, alignment_mode="expand")
    if first is None or first[0].pos_ != "PROPN":
        return None
    end = first[0].i + 1
    line_end = context.paragraphs.bounds(context.paragraphs.of(first[0].idx))[1]
    while end < len(context.doc) and context.doc[end].pos_ == "PROPN" and context.doc[end].idx < line_end:
        end += 1
    return Attribution(cue=match.group(1).strip(), speaker=context.doc[first[0].i:end])


def _punctuation_attribution(before: list) -> Attribution | None:
    """A name before a colon that opens a quote (Jane Doe: "...")."""
    words = [t for t in before if not t.is_space]
    if 2 <= len(words) <= 6 and words[-1].text == ":" and not any(
            t.pos_ in ("VERB", "AUX") for t in words):
        heads = [t for t in words[:-1] if t.pos_ in ("PROPN", "NOUN", "PRON")]
        if heads:
            return Attribution(cue=":", speaker=noun_phrase(heads[-1]), cue_token=words[-1])
    return None


def _continue_speakers(found: list[_Found]) -> None:
    """An unattributed direct quote continues the nearest attributed quote before it in the same or
    the previous paragraph, else the next attributed quote in its own paragraph ("“A.” “B,” she
    said")."""
    for index, f in enumerate(found):
        if f.attribution is not None or f.kind != "direct":
            continue
        previous = next((p for p in reversed(found[:index]) if p.attribution is not None), None)
        if previous is not None and f.paragraph - previous.paragraph <= 1:
            f.attribution = Attribution(cue=None, speaker=previous.attribution.speaker)
            continue
        following = next((n for n in found[index + 1:] if n.attribution is not None), None)
        if following is not None and following.paragraph == f.paragraph:
            f.attribution = Attribution(cue=None, speaker=following.attribution.speaker)


def _indirect(context: _Context, direct_ranges: list[tuple[int, int]]) -> list[_Found]:
    """Reported clauses: "X said (that) ...", "..., X warned", "according to X, ..."."""
    doc, quoted, lexicon = context.doc, context.quoted, context.lexicon
    found = []
    for token in doc:
        if quoted[token.i]:
            continue
        if token.pos_ in ("VERB", "AUX") and lexicon.is_speech(token.lemma_):
            checkpoint()  # the document's time budget, per speech verb
            clause = context.clip(_reported_clause(token, context.sentence(token.i),
                                                   token.lemma_.lower() in lexicon.directive), token)
            attribution = context.speaker_from(token) if clause is not None else None
        elif token.lower_ in lexicon.phrase_starts and (source := source_phrase(doc, token.i, lexicon)):
            clause = context.clip(_clause_around(token, source[0], context.sentence(token.i)), token)
            attribution = Attribution(cue=source[0].text, speaker=source[1], cue_token=token)
            if context.paragraph(source[1].root) != context.paragraph(token):
                attribution = None
        else:
            continue
        if clause is None or attribution is None or len(clause) < MIN_CLAUSE_TOKENS:
            continue
        start, end = clause.start_char, clause.end_char
        if _covered(start, end, direct_ranges):
            continue
        found.append(_Found(start, end, "indirect", attribution, context.paragraph(token)))
    return found


def _reported_clause(verb, sentence: Span, directive: bool = False) -> Span | None:
    """The clause a speech verb reports: its clausal complement, or the clause it interrupts."""
    doc = verb.doc
    for child in verb.children:
        if child.dep_ == "ccomp":
            return _trim(doc, child.left_edge.i, child.right_edge.i + 1)
    if directive:  # "vowed to retaliate", "urged them to leave"
        for child in verb.children:
            if child.dep_ == "xcomp" and any(t.lower_ == "to" for t in child.children):
                return _trim(doc, child.left_edge.i, child.right_edge.i + 1)
    if verb.dep_ == "parataxis":
        return _clause_around(verb, doc[verb.left_edge.i: verb.right_edge.i + 1], sentence)
    return None


def _clause_around(token, cue: Span, sentence: Span) -> Span | None:
    """The clause ``cue`` hangs from, without the cue: "..., X said." or "According to X, ..."."""
    doc = token.doc
    head = token.head
    if head.i == token.i:
        low, high = sentence.start, sentence.end
    else:
        low, high = max(head.left_edge.i, sentence.start), min(head.right_edge.i + 1, sentence.end)
    phrase_low = min(cue.start, token.left_edge.i)
    phrase_high = max(cue.end, token.right_edge.i + 1)
    left, right = (low, phrase_low), (phrase_high, high)
    side = left if left[1] - left[0] >= right[1] - right[0] else right
    return _trim(doc, *side)


def _trim(doc: Doc, low: int, high: int) -> Span | None:
    """Tokens low..high without leading complementisers and surrounding punctuation."""
    while low < high and (doc[low].is_punct or doc[low].is_space or
                          (doc[low].dep_ == "mark" and doc[low].lower_ in ("that", "whether"))):
        low += 1
    while high > low and (doc[high - 1].is_punct or doc[high - 1].is_space):
        high -= 1
    return doc[low:high] if high > low else None


def _covered(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    inside = sum(max(0, min(end, b) - max(start, a)) for a, b in ranges)
    return inside >= COVERED * (end - start)
