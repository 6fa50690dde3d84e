"""Word sense from the arguments: does the trigger's subject or object fit its event type?

A strike by workers is a labour strike, a strike by aircraft an attack; releasing prisoners is a
concession, releasing a survey is publishing. The rules are data (``data/events/senses.tsv``),
over classes of nouns: actors get their class from the actors stage (a police force, a state, a
person), other nouns from ``noun_classes.tsv`` or, failing that, from the class whose words
their word vector is closest to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..actors import role_of
from ..knowledge import read_table
from ..records import PLOVER_TYPES, ActorMention

DATA = Path(__file__).resolve().parent.parent / "data" / "events"
SLOTS = ("subject", "object")
ACTOR_CLASSES = frozenset({"state", "official", "military", "police", "rebels", "workers", "civilians",
                           "person", "group", "igo", "pronoun"})
SECTOR_CLASSES = {"GOV": "official", "LEG": "official", "JUD": "official", "MIL": "military", "COP": "police",
                  "SPY": "military", "REB": "rebels", "LAB": "workers", "CVL": "civilians", "REF": "civilians",
                  "OPP": "civilians", "AGR": "workers", "EDU": "workers", "HLH": "workers", "MED": "workers",
                  "JRN": "workers", "IGO": "igo", "UAF": "rebels"}
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})
# a noun not listed takes the class of its nearest listed word when that word is at least this
# similar (cosine of word vectors) and the second nearest word has the same class
VECTOR_THRESHOLD = 0.65


@dataclass(frozen=True)
class SenseRule:
    """One line of senses.tsv."""

    applies: str  # PLOVER type, CAMEO prefix, "word:LEMMA" or "*"
    slot: str
    classes: frozenset[str]
    action: str  # "drop" or a CAMEO code
    line: int

    def covers(self, type_: str, cameo: str | None, lemma: str = "") -> bool:
        if self.applies == "*" or self.applies == type_:
            return True
        if self.applies.startswith("word:"):
            return self.applies[5:] == lemma
        return bool(cameo) and self.applies.isdigit() and cameo.startswith(self.applies)


@dataclass
class NounClasses:
    """Noun lemma -> class, and the unit vectors of the listed words for nouns not listed."""

    by_lemma: dict[str, str]
    vectors: np.ndarray  # one row per listed word that has a vector
    classes: list[str]  # the class of each row
    by_vector: dict[int, str | None] = field(default_factory=dict)  # word (orth id) -> class found by its vector


@lru_cache(maxsize=2)
def load_rules(path: Path = DATA / "senses.tsv") -> tuple[SenseRule, ...]:
    classes = set(load_noun_lexicon()) | ACTOR_CLASSES
    rules = []
    for row in read_table(path, ("applies", "slot", "classes", "action", "reason"), kind="event-senses"):
        applies = row["applies"]
        if applies != "*" and applies not in PLOVER_TYPES and not applies.isdigit() \
                and not (applies.startswith("word:") and len(applies) > 5):
            raise row.error(f"applies must be a PLOVER type, a CAMEO code prefix, word:LEMMA or *, "
                            f"not {applies!r}")
        if row["slot"] not in SLOTS:
            raise row.error(f"slot must be subject or object, not {row['slot']!r}")
        wanted = frozenset(c for c in row["classes"].split("|") if c)
        unknown = wanted - classes
        if unknown:
            raise row.error(f"unknown noun classes {', '.join(sorted(unknown))} (see noun_classes.tsv)")
        action = row["action"]
        if action != "drop" and not (action.isdigit() and 2 <= len(action) <= 4):
            raise row.error(f"action must be drop or a CAMEO code, not {action!r}")
        rules.append(SenseRule(applies, row["slot"], wanted, action, row.line))
    return tuple(rules)


@lru_cache(maxsize=2)
def load_noun_lexicon(path: Path = DATA / "noun_classes.tsv") -> dict[str, tuple[str, ...]]:
    """Class -> its words, in file order (a word listed twice keeps its first class)."""
    out: dict[str, tuple[str, ...]] = {}
    for row in read_table(path, ("class", "words"), kind="noun-classes"):
        out[row["class"]] = tuple(w.strip().lower() for w in row["words"].split("|") if w.strip())
    return out


_NOUN_CLASSES: dict[int, tuple[object, NounClasses]] = {}  # id(vocab) -> (vocab, classes)


def noun_classes(vocab) -> NounClasses:
    """The noun classes with centroids in the vector space of ``vocab``, built once per vocab
    (spaCy's Vocab takes neither attributes nor weak references, so the cache holds it)."""
    cached = _NOUN_CLASSES.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    by_lemma: dict[str, str] = {}
    rows, classes = [], []
    for name, words in load_noun_lexicon().items():
        for w in words:
            if w in by_lemma:
                continue
            by_lemma[w] = name
            if " " not in w and vocab.has_vector(w):
                rows.append(vocab.get_vector(w))
                classes.append(name)
    matrix = np.array(rows, dtype=np.float32) if rows else np.zeros((0, 1), dtype=np.float32)
    if rows:
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    result = NounClasses(by_lemma, matrix, classes)
    _NOUN_CLASSES[id(vocab)] = (vocab, result)
    return result


def mention_class(mention: ActorMention | None) -> str | None:
    """The class of a resolved actor: its sector first, then its kind."""
    if mention is None or not (mention.actor_id or mention.country or mention.sector):
        return None
    if mention.sector in SECTOR_CLASSES:
        return SECTOR_CLASSES[mention.sector]
    actor_id = mention.actor_id or ""
    if actor_id.startswith("PER:"):
        return "person"
    if actor_id.startswith("IGO:"):
        return "igo"
    if actor_id.startswith("GRP:"):
        return "group"
    return "state"


def token_class(token, mention: ActorMention | None) -> str | None:
    """The class of an argument's head token."""
    if token.lower_ in PERSONAL_PRONOUNS:
        return "pronoun"
    found = mention_class(mention)
    if found:
        return found
    if token.ent_type_ == "PERSON":
        return "person"
    if token.ent_type_ in ("ORG", "NORP"):
        return "group"
    if token.ent_type_ in ("GPE",):
        return "state"
    if token.pos_ not in ("NOUN", "PROPN"):
        return None
    lemma = token.lemma_.lower()
    role = role_of(token.lower_) or role_of(lemma)
    if role:
        form, sector = role
        if sector in SECTOR_CLASSES:
            return SECTOR_CLASSES[sector]
        return "person" if form == "person" else "state" if form == "state" else "group"
    classes = noun_classes(token.vocab)
    if lemma in classes.by_lemma:
        return classes.by_lemma[lemma]
    if token.pos_ == "NOUN" and len(classes.classes) > 1:
        if token.orth not in classes.by_vector:
            classes.by_vector[token.orth] = _nearest_class(token, classes)
        return classes.by_vector[token.orth]
    return None


def _nearest_class(token, classes: NounClasses) -> str | None:
    """The class of the listed words nearest to the token's vector, when the two nearest agree."""
    if not token.has_vector:
        return None
    similarity = classes.vectors @ (token.vector / (token.vector_norm or 1.0))
    first, second = np.argsort(-similarity)[:2]
    if similarity[first] >= VECTOR_THRESHOLD and classes.classes[first] == classes.classes[second]:
        return classes.classes[first]
    return None


def decide(type_: str, cameo: str | None, classes: dict[str, str | None], lemma: str = "",
           rules: tuple[SenseRule, ...] | None = None) -> str | None:
    """None to keep the event as it is, "drop", or the CAMEO code it becomes; ``classes``
    gives the class of the subject and of the object (None when absent or unknown)."""
    for rule in rules if rules is not None else load_rules():
        if rule.covers(type_, cameo, lemma) and classes.get(rule.slot) in rule.classes:
            return rule.action
    return None
