"""Time of an event: its tense and aspect, its date with the basis of that date, and whether it
is news of the article, background, announced or generic.

News reports today's acts in the past or present tense; background recaps are told in the past
perfect, with an earlier date or year ("in 2014", "the 2014 annexation", "since 2014", "last
year"), or in relative clauses that describe a party ("Crimea, which Russia annexed"). Announced
acts are future ("will", "is due to", "is set to", a weekday in a future clause). Descriptions
("rebels fighting to overthrow the government") and habits ("shells the town daily") are generic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..records import Modality
from . import dates
from .triggers import Candidate, entities

HISTORICAL_DAYS = 60  # an event dated more than this before publication is background
PAST_DATE_PREPOSITIONS = frozenset({"in", "on", "during", "since", "from", "until", "by", "throughout"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
CONDITIONAL_AUX = frozenset({"would", "'d"})
HABIT_ADVERBS = frozenset({"daily", "weekly", "regularly", "routinely", "often", "usually", "frequently",
                           "always", "habitually", "constantly", "typically", "generally"})
PUBLICATION_NOTE = "publication date; no date in the sentence"
NO_PUBLICATION_NOTE = "no date in the sentence and the publication date is unknown"


@dataclass
class TimeReading:
    """When an event happens, relative to the article's news."""

    tense: str = "none"
    aspect: str = "simple"
    date: str | None = None
    date_basis: str = "none"
    date_note: str = ""


def tense_aspect(anchor) -> tuple[str, str]:
    """Tense and aspect of the clause headed by ``anchor``, following an infinitive or a
    coordinated verb up to the finite verb that carries them ("agreed to hold talks")."""
    verb = anchor
    for _ in range(6):
        if verb.pos_ not in ("VERB", "AUX") or verb.tag_ in ("VBD", "VBZ", "VBP", "MD") or _auxes(verb):
            break
        if verb.dep_ in ("xcomp", "conj", "acomp") and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    if verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return "none", "simple"
    auxes = _auxes(verb)
    words = {a.lower_ for a in auxes}
    lemmas = {a.lemma_.lower() for a in auxes}
    perfect = "have" in lemmas and verb.tag_ == "VBN"
    progressive = verb.tag_ == "VBG" and "be" in lemmas
    aspect = "perfect-progressive" if perfect and progressive else "perfect" if perfect \
        else "progressive" if progressive else "simple"
    if words & FUTURE_AUX:
        return "future", aspect
    if words & CONDITIONAL_AUX:
        return "conditional", aspect
    finite = [a for a in auxes if a.tag_ in ("VBD", "VBZ", "VBP")] or [verb]
    tag = finite[0].tag_
    if tag == "VBD" or (finite[0].lower_ == "had"):
        return "past", aspect
    if tag in ("VBZ", "VBP"):
        return "present", aspect
    if verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod"):
        return "past", aspect
    return "none", aspect


def _auxes(verb) -> list:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def news_reference(doc, published: dt.date | None) -> dt.date | None:
    """The date an article's news is told from: its publication date, else the latest date the
    article writes out in full (a month or a day with its year). Only background is judged
    against it; relative dates stay unresolved without a publication date."""
    if published is not None:
        return published
    latest = None
    for ent in entities(doc[:]):
        if ent.label_ == "DATE":
            resolved = dates.resolve(ent.text, None)
            if resolved.value and len(resolved.value) >= 7 and resolved.period_end:
                latest = max(latest, resolved.period_end) if latest else resolved.period_end
    return latest


def read_time(candidate: Candidate, sent, published: dt.date | None, modality: Modality,
              background: list[tuple[int, int, set[int]]], reference: dt.date | None = None) -> TimeReading:
    """The event's tense, aspect and date; sets ``modality.historical`` / ``future`` /
    ``generic`` from the time cues of its clause. ``reference`` is the article's news date
    (``news_reference``)."""
    reference = reference or published
    tense, aspect = tense_aspect(candidate.anchor)
    if tense == "future":
        modality.future = True
    if tense == "present" and _habitual(candidate.anchor):
        modality.generic = True
    if _purpose_of_noun(candidate.anchor):
        modality.hypothetical = True  # "steps to recognize", "efforts to end": intended, not done
    elif _describes(candidate):
        if tense in ("past",) or aspect == "perfect":
            modality.historical = True
        else:
            modality.generic = True
    resolved, basis, note = event_date(candidate, sent, published, forward=modality.future)
    if resolved is not None and published and _starts_after(resolved.value, published):
        modality.future = True  # a date after publication: scheduled
    if any(a <= candidate.trigger.i <= b and candidate.trigger.i not in out for a, b, out in background) \
            or (resolved is not None and resolved.since):
        modality.historical = True
    elif resolved is not None and _older_than_news(resolved, reference, published):
        modality.historical = True
    elif dated_in_past(candidate, sent, published, reference):
        modality.historical = True
    reading = TimeReading(tense, aspect)
    if resolved is not None and resolved.value:
        reading.date, reading.date_basis, reading.date_note = resolved.value, basis, note
    elif not (modality.historical or modality.future or modality.generic or modality.hypothetical):
        # news without a date of its own happened when it was reported
        if published is not None:
            reading.date, reading.date_basis, reading.date_note = published.isoformat(), "publication", \
                PUBLICATION_NOTE
        else:
            reading.date_note = note if resolved is not None else NO_PUBLICATION_NOTE
    else:
        reading.date_note = note
    return reading


def _starts_after(value: str | None, published: dt.date) -> bool:
    """The period a date value names begins after ``published``."""
    if not value:
        return False
    parts = [int(p) for p in value.split("-")]
    start = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    return start > published


def _older_than_news(resolved: dates.ResolvedDate, reference: dt.date | None,
                     published: dt.date | None = None) -> bool:
    """A date well before the news date. Without a publication date, also a year or a month
    written with its year: news dates today's acts by the day ("on Monday"), a recap by the
    month or year ("in December 2020", "the 2014 annexation")."""
    if published is None and resolved.value and len(resolved.value) <= 7:
        return True
    if reference is not None:
        return bool(resolved.period_end) and resolved.period_end < reference - dt.timedelta(days=HISTORICAL_DAYS)
    return False


def _habitual(anchor) -> bool:
    """An adverb of frequency in the clause: "shells the town daily"."""
    return any(c.dep_ in ("advmod", "npadvmod") and c.lower_ in HABIT_ADVERBS for c in anchor.children)


def _purpose_of_noun(anchor) -> bool:
    """An infinitive that modifies a noun ("took steps to recognize", "an effort to end the war")."""
    return anchor.dep_ in ("acl", "relcl") and anchor.head.pos_ in ("NOUN", "PROPN") \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in anchor.children)


def _describes(candidate: Candidate) -> bool:
    """A verb trigger in a clause that describes a noun: a participle ("rebels fighting to
    overthrow the regime", "the town shelled by the army") or a relative clause ("the
    peninsula, which Russia annexed")."""
    if candidate.nominal:
        return False
    token = candidate.anchor
    for _ in range(8):  # the describing clause may be further up: "rebels fighting to overthrow ..."
        if token.dep_ == "relcl":
            return True
        if token.dep_ == "acl" and token.tag_ in ("VBG", "VBN") and token.head.pos_ in ("NOUN", "PROPN"):
            return True
        if token.dep_ not in ("xcomp", "advcl", "conj") or token.head.i == token.i:
            return False
        token = token.head
    return False


def event_date(candidate: Candidate, sent, published: dt.date | None,
               forward: bool) -> tuple[dates.ResolvedDate | None, str, str]:
    """(resolved date, basis, note): the best-resolved DATE attached to the event's clause (or
    inside a noun trigger); failing that, the date of the statement that reports the event
    ("X said on Friday that Y ..."), which is the reporting clause's date, not the act's."""
    own = attached_date(sent, {candidate.anchor.i, candidate.trigger.i}, published, forward)
    if own is not None:
        basis = ("relative" if own.relative else "sentence") if own.value else "none"
        return own, basis, own.note
    for governor in candidate.anchor.ancestors:
        if governor.pos_ not in ("VERB", "AUX"):
            continue
        stated = attached_date(sent, {governor.i}, published, forward=False)
        if stated is not None and stated.value:
            return stated, "reporting", f"{stated.note}; the date of the clause reporting the event"
    return None, "none", "no date expression attached to the event"


def attached_date(sent, stops: set[int], published: dt.date | None, forward: bool) -> dates.ResolvedDate | None:
    """The best-resolved DATE entity whose path up the parse reaches a token of ``stops``
    without crossing another verb."""
    best = None
    for ent in entities(sent):
        if ent.label_ != "DATE":
            continue
        token = ent.root
        attached = False
        for _ in range(12):
            if token.i in stops:
                attached = True
                break
            if token.pos_ in ("VERB", "AUX") and token.i != ent.root.i or token.head.i == token.i:
                break
            token = token.head
        if not attached:
            continue
        text = ent.text
        if ent.root.dep_ == "pobj" and ent.root.head.lower_ == "since" and not text.lower().startswith("since"):
            text = f"since {text}"
        resolved = dates.resolve(text, published)
        if forward and resolved.period_end and published and resolved.period_end < published:
            resolved = dates.resolve_forward(text, published) or resolved
        if best is None or dates.precision(resolved.value) > dates.precision(best.value):
            best = resolved
    return best


def dated_in_past(candidate: Candidate, sent, published: dt.date | None,
                  reference: dt.date | None = None) -> bool:
    """An explicit date well before publication anywhere in the event's own clause ("in 2014",
    "in December 2020", "since 2015" as an adverbial, whatever the parse attached it to): the
    event is background. Dates inside nested clauses that do not hold the trigger do not count."""
    reference = reference or published
    if reference is None:
        return False
    anchor = candidate.anchor
    limit = reference - dt.timedelta(days=HISTORICAL_DAYS)
    for ent in entities(sent):
        if ent.label_ != "DATE" or not (anchor.left_edge.i <= ent.root.i <= anchor.right_edge.i):
            continue
        root = ent.root
        if not (root.dep_ == "pobj" and root.head.lower_ in PAST_DATE_PREPOSITIONS or root.dep_ == "npadvmod"
                or ent.text.lower().split()[0] in PAST_DATE_PREPOSITIONS):
            continue
        # the clause that owns the date: its nearest verb ancestor must be the anchor (or the trigger)
        owner = root.head
        for _ in range(20):
            if owner.pos_ in ("VERB", "AUX") or owner.head.i == owner.i:
                break
            owner = owner.head
        if owner.i not in (anchor.i, candidate.trigger.i):
            continue
        resolved = dates.resolve(ent.text, published)
        if resolved.period_end and resolved.period_end < limit:
            return True
    return False


def since_scopes(sent, published: dt.date | None) -> list[tuple[int, int, set[int]]]:
    """"since 2014" marks its clause as background narration: for each such date, the token
    range of the clause it belongs to (climbing out of noun modifiers: "regions bordering
    Russia since 2014"), minus coordinated or reported clauses it is not part of."""
    scopes = []
    for ent in entities(sent):
        if ent.label_ != "DATE" or not (ent.text.lower().startswith("since ") or
                                        (ent.root.dep_ == "pobj" and ent.root.head.lower_ == "since")):
            continue
        if not dates.resolve(ent.text, published).value:
            continue
        scope = ent.root
        for _ in range(20):
            if scope.pos_ in ("VERB", "AUX") and scope.dep_ not in ("acl", "relcl", "amod"):
                break
            if scope.head.i == scope.i:
                break
            scope = scope.head
        excluded = {t.i for c in scope.children if c.dep_ in ("conj", "ccomp", "parataxis")
                    and not (c.left_edge.i <= ent.start <= c.right_edge.i) for t in c.subtree}
        scopes.append((scope.left_edge.i, scope.right_edge.i, excluded))
    return scopes
