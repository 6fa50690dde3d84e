"""Verb patterns of the CAMEO dictionary, compiled for matching on a dependency parse.

The data (``cameo_verbs.tsv``, ``cameo_patterns.tsv``, ``cameo_synsets.tsv``) is generated
from the PETRARCH2 verb dictionary by ``eventwire knowledge convert``. A pattern such as
``&military * (to border)`` says: the verb's subject holds a word of the synset
``military``, and a preposition ``to`` of the verb (or of its object) governs ``border``.
Words after ``*`` may occur anywhere in the verb's own clause except its subject; a
``{...}`` phrase must appear as a run of words; a word ending in ``_`` takes no inflection.
The most specific matching pattern gives the CAMEO code; without one, the verb's own code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import KnowledgeFileError
from ..knowledge import read_table

DATA = Path(__file__).resolve().parent.parent / "data" / "events"
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# children of a verb that do not belong to its own clause's content
OUTSIDE_DEPS = frozenset({"aux", "auxpass", "neg", "punct", "cc", "conj", "mark", "advcl", "relcl",
                          "parataxis", "discourse", "appos", "meta", "dep", "ccomp", "csubj"})
# clause boundaries inside the content: do not look into another clause's words
CLAUSE_DEPS = frozenset({"advcl", "relcl", "parataxis", "conj", "ccomp", "csubj"})
PREP_DEPS = frozenset({"prep", "agent", "dative", "prt", "advmod"})
SKIP_MARKERS = frozenset({"$", "+", "%", "^"})
MAX_DEPTH = 3  # levels below the verb where pattern words are looked for

Alternative = tuple[str, ...]  # a word sequence; a word ending in "_" is exact


@dataclass(frozen=True)
class Slot:
    """One position of a requirement: any of its alternatives (a word, a phrase or a synset)."""

    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Requirement:
    """Words that must occur together: one slot, or a ``{...}`` phrase of slots in a run;
    ``prep`` set: the slots must be under that preposition."""

    slots: tuple[Slot, ...]
    prep: str | None = None
    target: bool = False  # '+' inside the preposition: its object is the event's target

    @property
    def size(self) -> int:
        return len(self.slots) + (1 if self.prep else 0)


@dataclass(frozen=True)
class VerbPattern:
    """One dictionary pattern of a verb block, compiled."""

    before: tuple[Requirement, ...]
    after: tuple[Requirement, ...]
    cameo: str
    verb: str | None  # the verb the pattern was written for
    line: int

    @property
    def size(self) -> int:
        return sum(r.size for r in self.before) + sum(r.size for r in self.after)


@dataclass(frozen=True)
class VerbEntry:
    """A verb of the dictionary: its block, particle (multi-word verbs) and own code."""

    block: str
    lemma: str
    particle: str | None
    cameo: str
    own_code: bool  # the source gives this verb its code (not inherited from its block)
    line: int


@dataclass
class VerbDictionary:
    """Verbs by head lemma, and the patterns of each block, most specific first."""

    verbs: dict[str, list[VerbEntry]] = field(default_factory=dict)
    patterns: dict[str, list[VerbPattern]] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)  # irregular form -> lemma


def _alternative(words: str) -> Alternative:
    return tuple(w for w in words.replace("-", " - ").split() if w)


def _singular(word: str) -> str | None:
    if word.endswith("_") or len(word) < 4:
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return None


def _slot(token: str, synsets: dict[str, tuple[Alternative, ...]], origin: str) -> Slot:
    if token.startswith("&"):
        name = token[1:].rstrip("_")
        if name not in synsets:
            raise KnowledgeFileError(f"pattern uses undefined synset &{name}", origin=origin)
        return Slot(synsets[name])
    alternatives = [_alternative(token)]
    single = _singular(token)
    if single:
        alternatives.append((single,))
    return Slot(tuple(alternatives))


def compile_pattern(text: str, synsets: dict[str, tuple[Alternative, ...]], origin: str) -> tuple[
        tuple[Requirement, ...], tuple[Requirement, ...]]:
    """(before, after) requirements of a pattern string in the dictionary's syntax."""
    tokens = text.split()
    if "*" not in tokens:
        raise KnowledgeFileError(f"pattern without '*' (the verb): {text!r}", origin=origin)
    star = tokens.index("*")

    def parse(part: list[str]) -> tuple[Requirement, ...]:
        out: list[Requirement] = []
        i = 0
        while i < len(part):
            token = part[i]
            if token in SKIP_MARKERS or token == "*":
                i += 1
            elif token == "(":
                end = part.index(")", i) if ")" in part[i:] else len(part)
                inner = part[i + 1:end]
                prep = inner[0] if inner and inner[0] not in SKIP_MARKERS and inner[0] not in ("{", "}") \
                    and not inner[0].startswith("&") else None
                rest = inner[1:] if prep else inner
                target = "+" in rest
                slots = [_slot(t, synsets, origin) for t in rest if t not in SKIP_MARKERS and t not in ("{", "}")]
                if prep or slots:
                    out.append(Requirement(tuple(slots), prep, target))
                i = end + 1
            elif token == "{":
                end = part.index("}", i) if "}" in part[i:] else len(part)
                slots = [_slot(t, synsets, origin) for t in part[i + 1:end] if t not in SKIP_MARKERS]
                if slots:
                    out.append(Requirement(tuple(slots)))
                i = end + 1
            elif token in (")", "}"):
                i += 1
            else:
                out.append(Requirement((_slot(token, synsets, origin),)))
                i += 1
        return tuple(out)
    return parse(tokens[:star]), parse(tokens[star + 1:])


@lru_cache(maxsize=4)
def load(data_dir: Path = DATA, scope: str = "block") -> VerbDictionary:
    """The compiled verb dictionary. ``scope``: ``block`` applies a pattern to every verb of
    its block (as PETRARCH does); ``verb`` only to the verb it was written for."""
    synset_rows: dict[str, list[Alternative]] = {}
    for row in read_table(data_dir / "cameo_synsets.tsv", ("synset", "phrase", "exact", "line"),
                          kind="cameo-synsets"):
        words = _alternative(row["phrase"])
        synset_rows.setdefault(row["synset"], []).append(words)
        if row["exact"] == "no" and len(words) == 1 and (single := _singular(words[0])):
            synset_rows[row["synset"]].append((single,))
    synsets = {name: tuple(alts) for name, alts in synset_rows.items()}
    dictionary = VerbDictionary()
    for row in read_table(data_dir / "cameo_verbs.tsv", ("block", "verb", "forms", "cameo", "from", "line"),
                          kind="cameo-verbs"):
        words = row["verb"].split()
        entry = VerbEntry(row["block"], words[0], " ".join(words[1:]) or None, row["cameo"],
                          row["from"] == "verb", row.line)
        dictionary.verbs.setdefault(words[0], []).append(entry)
        for form in row.get("forms").split("|") if row.get("forms") else ():
            if form and " " not in form:
                dictionary.forms.setdefault(form, words[0])
    for row in read_table(data_dir / "cameo_patterns.tsv", ("block", "pattern", "cameo", "verb", "line"),
                          kind="cameo-patterns"):
        before, after = compile_pattern(row["pattern"], synsets, row.origin)
        verb = row.get("verb") or None
        key = row["block"] if scope == "block" or not verb else f"{row['block']}\x00{verb}"
        dictionary.patterns.setdefault(key, []).append(VerbPattern(before, after, row["cameo"], verb, row.line))
    for key, patterns in dictionary.patterns.items():
        patterns.sort(key=lambda p: -p.size)  # stable: file order breaks ties
    return dictionary


# --- matching --------------------------------------------------------------------------------

def _keys(token) -> set[str]:
    lower = token.lower_
    keys = {lower, token.lemma_.lower()}
    single = _singular(lower)
    if single:
        keys.add(single)
    return keys


def _region(head, deps_out: frozenset[str], depth: int = MAX_DEPTH) -> list:
    """Tokens of a head's clause content (without the subject) down to ``depth`` levels, not
    crossing into other clauses: a pattern word names an argument of the verb or the object of
    its preposition, not a word buried in a clause further down."""
    found = []
    stack = [(c, 1) for c in head.children if c.dep_ not in deps_out]
    while stack:
        t, level = stack.pop()
        found.append(t)
        if level < depth:
            stack.extend((c, level + 1) for c in t.children if c.dep_ not in CLAUSE_DEPS)
    return sorted(found, key=lambda t: t.i)


def subject_region(verb) -> list:
    """Tokens of the verb's subject, or of the subject it shares with a governing verb."""
    token = verb
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS or c.dep_ == "agent"]
        if subjects:
            return sorted((t for s in subjects for t in s.subtree), key=lambda t: t.i)
        if token.dep_ in ("xcomp", "conj", "advcl") and token.head.i != token.i:
            token = token.head
        else:
            break
    return []


def _word_match(word: str, token, keys: set[str]) -> bool:
    if word.endswith("_"):
        return token.lower_ == word[:-1]
    return word in keys


def _find_run(alternative: Alternative, tokens: list, keys: list[set[str]], start: int) -> int | None:
    """Index after the run of ``alternative`` starting at ``start`` (one filler word allowed
    between words of a phrase), or None."""
    position = start
    for n, word in enumerate(alternative):
        hit = None
        for gap in ((0,) if n == 0 else (0, 1)):
            j = position + gap
            if j < len(tokens) and _word_match(word, tokens[j], keys[j]):
                hit = j
                break
        if hit is None:
            return None
        position = hit + 1
    return position


# modifiers inside a noun phrase: a lone pattern word names a phrase's head, not a modifier
# ("attack * government" is an attack on the government, not on a "government convoy")
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "det", "nummod", "quantmod"})


def _requirement_met(req: Requirement, tokens: list, keys: list[set[str]]) -> tuple[bool, object]:
    """Whether the tokens hold the requirement; for a prepositional one, also its preposition."""
    if req.prep is not None:
        for n, t in enumerate(tokens):
            if t.lower_ == req.prep and t.dep_ in PREP_DEPS:
                inside = _region(t, frozenset(), depth=2)
                inside_keys = [_keys(x) for x in inside]
                if all(_slots_met(Requirement(req.slots), inside, inside_keys)):
                    return True, t
        return False, None
    return all(_slots_met(req, tokens, keys)), None


def _slots_met(req: Requirement, tokens: list, keys: list[set[str]]) -> Iterable[bool]:
    if not req.slots:
        yield True
        return
    if len(req.slots) == 1:
        slot = req.slots[0]
        yield any(_find_run(alt, tokens, keys, i) is not None
                  for alt in slot.alternatives for i in range(len(tokens))
                  if len(alt) > 1 or tokens[i].dep_ not in MODIFIER_DEPS)
        return
    # a phrase: the slots in a run, each slot one of its alternatives
    for i in range(len(tokens)):
        position = i
        for n, slot in enumerate(req.slots):
            nxt = None
            for gap in ((0,) if n == 0 else (0, 1)):
                for alt in slot.alternatives:
                    nxt = _find_run(alt, tokens, keys, position + gap)
                    if nxt is not None:
                        break
                if nxt is not None:
                    break
            if nxt is None:
                break
            position = nxt
        else:
            yield True
            return
    yield False


@dataclass
class VerbMatch:
    """The code a verb token takes, and why."""

    cameo: str
    entry: VerbEntry
    pattern: VerbPattern | None
    words: list  # tokens of the pattern that matched (for the trigger phrase)
    target_prep: object | None = None  # a preposition whose object the pattern names as target


def verb_entries(token, dictionary: VerbDictionary) -> list[VerbEntry]:
    """Dictionary entries of a verb token: by lemma (or irregular form), multi-word verbs only
    when their particle is a child of the token; those come first."""
    lemma = token.lemma_.lower()
    entries = dictionary.verbs.get(lemma) or dictionary.verbs.get(dictionary.forms.get(token.lower_, ""))
    if not entries:  # the lemmatizer sometimes clips a final e ("staged" -> "stag")
        entries = dictionary.verbs.get(lemma + "e")
    if not entries:
        return []
    children = {c.lower_ for c in token.children if c.dep_ in PREP_DEPS}
    multi = [e for e in entries if e.particle and e.particle in children]
    single = [e for e in entries if not e.particle]
    return multi + single


def match_verb(token, dictionary: VerbDictionary, scope: str = "block",
               block_defaults: bool = True) -> VerbMatch | None:
    """The best dictionary reading of a verb token, or None if the dictionary has no code for it."""
    entries = verb_entries(token, dictionary)
    if not entries:
        return None
    after_tokens = _region(token, SUBJECT_DEPS | OUTSIDE_DEPS)
    after_keys = [_keys(t) for t in after_tokens]
    before_tokens = None
    best: tuple[int, VerbPattern, VerbEntry, object] | None = None
    seen_blocks = set()
    for entry in entries:
        key = entry.block if scope == "block" else f"{entry.block}\x00{entry.lemma}"
        if key in seen_blocks:
            continue
        seen_blocks.add(key)
        for pattern in dictionary.patterns.get(key, ()):
            if best is not None and pattern.size <= best[0]:
                break
            if pattern.before and before_tokens is None:
                before_tokens = subject_region(token)
                before_keys = [_keys(t) for t in before_tokens]
            target_prep = None
            ok = True
            for req in pattern.after:
                met, prep = _requirement_met(req, after_tokens, after_keys)
                if not met:
                    ok = False
                    break
                if req.target:
                    target_prep = prep
            if ok and pattern.before:
                ok = all(_requirement_met(req, before_tokens, before_keys)[0] for req in pattern.before)
            if ok:
                best = (pattern.size, pattern, entry, target_prep)
                break
    if best is not None:
        _, pattern, entry, target_prep = best
        words = _pattern_words(pattern, after_tokens, after_keys)
        return VerbMatch(pattern.cameo, entry, pattern, [token, *words], target_prep)
    for entry in entries:
        if entry.cameo != "---" and (entry.own_code or block_defaults or entry.lemma == entry.block):
            return VerbMatch(entry.cameo, entry, None, [token])
    return VerbMatch("---", entries[0], None, [token])


def _pattern_words(pattern: VerbPattern, tokens: list, keys: list[set[str]]) -> list:
    """The tokens that the pattern's words matched (for the trigger phrase shown to users)."""
    wanted = {w for req in pattern.after for slot in req.slots for alt in slot.alternatives for w in alt}
    preps = {req.prep for req in pattern.after if req.prep}
    return [t for t, k in zip(tokens, keys)
            if (k & wanted or t.lower_ + "_" in wanted or t.lower_ in preps and t.dep_ in PREP_DEPS)]
