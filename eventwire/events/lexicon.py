"""Load and validate the event knowledge files under eventwire/data/events/.

Every file documents its format in its header comment. Loading compiles them into
lemma-keyed dicts once per process (``lru_cache``); a malformed line raises
``KnowledgeFileError`` naming the file and line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import KnowledgeFileError
from ..knowledge import read_table
from ..records import PLOVER_TYPES
from . import cameo as cameo_table
from . import patterns as verb_dictionary

DATA = Path(__file__).resolve().parent.parent / "data" / "events"
USER_SUFFIX = ".events.tsv"  # extra lexicon files named in Settings.knowledge_files
POS_KINDS = ("V", "N", "NS", "L", "E", "A")
MODALITY_WHERE = ("aux", "neg", "mark", "adv", "phrase", "governor", "obligation", "speech")
MODALITY_FLAGS = ("negated", "future", "hypothetical", "historical", "intent", "reported-future", "-")
_CAMEO = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True)
class Pattern:
    """One lexicon entry: a head lemma, the words it requires, and what it codes."""

    pos: str
    head: str
    requires: tuple[str, ...]
    type: str | None  # None: a stop pattern (not an event)
    mode: str | None
    cameo: str | None
    line: int

    @property
    def specificity(self) -> int:
        return len(self.requires)


@dataclass(frozen=True)
class TypeInfo:
    """A PLOVER type: its quad class, default CAMEO root and allowed modes."""

    name: str
    quad: str
    cameo_root: str
    modes: frozenset[str]


@dataclass
class Knowledge:
    """Everything the events stage knows, compiled for lookups by lemma."""

    types: dict[str, TypeInfo]
    scores: dict[str, float]
    verbs: dict[str, list[Pattern]] = field(default_factory=dict)
    nouns: dict[str, list[Pattern]] = field(default_factory=dict)
    support_verbs: frozenset[str] = frozenset()
    occurrence_verbs: dict[str, list[Pattern]] = field(default_factory=dict)
    protest_agents: frozenset[str] = frozenset()
    modality: dict[str, dict[str, str]] = field(default_factory=dict)  # where -> cue -> flag
    governor_events: dict[str, str] = field(default_factory=dict)  # governor lemma -> keep | drop
    phrases: list[tuple[str, str]] = field(default_factory=list)
    mode_cues: dict[str, list[tuple[str, frozenset[str], tuple[str, ...]]]] = field(default_factory=dict)
    contexts: list[tuple[str, frozenset[str], tuple[str, ...]]] = field(default_factory=list)
    skip_prefixes: tuple[str, ...] = ()
    dictionary: object | None = None  # patterns.VerbDictionary: the CAMEO verb dictionary
    # a dictionary pattern applies to the verb it was written for, not to its whole synonym
    # block: chosen on the tuning part of the PLOVER records (BENCHMARKS.md, Events)
    pattern_scope: str = "verb"
    block_defaults: bool = os.environ.get("EVENTWIRE_BLOCKDEF", "1") == "1"


def _rows(path: Path, ncols: int) -> Iterator[tuple[int, list[str]]]:
    """Data lines of a tab-separated knowledge file, with their 1-based line numbers."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeFileError(f"cannot read knowledge file: {exc}", origin=str(path)) from exc
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) != ncols:
            raise KnowledgeFileError(
                f"expected {ncols} tab-separated columns, found {len(cols)}: {line!r}",
                origin=f"{path}:{number}")
        yield number, cols


def _fail(path: Path, number: int, reason: str) -> KnowledgeFileError:
    return KnowledgeFileError(reason, origin=f"{path}:{number}")


def load_types(path: Path = DATA / "plover.tsv") -> dict[str, TypeInfo]:
    types: dict[str, TypeInfo] = {}
    for number, (name, quad, root, modes) in _rows(path, 4):
        if name not in PLOVER_TYPES:
            raise _fail(path, number, f"{name!r} is not one of the 16 PLOVER types")
        if quad not in ("vcoop", "mcoop", "vconf", "mconf"):
            raise _fail(path, number, f"quad must be vcoop, mcoop, vconf or mconf, not {quad!r}")
        if not re.fullmatch(r"\d\d", root):
            raise _fail(path, number, f"default CAMEO root must be two digits, not {root!r}")
        allowed = frozenset() if modes == "-" else frozenset(m.strip() for m in modes.split(","))
        types[name] = TypeInfo(name, quad, root, allowed)
    missing = set(PLOVER_TYPES) - set(types)
    if missing:
        raise KnowledgeFileError(f"PLOVER types missing: {', '.join(sorted(missing))}", origin=str(path))
    return types


def load_scores(path: Path = DATA / "cameo_scores.tsv") -> dict[str, float]:
    scores: dict[str, float] = {}
    for number, (root, score, _name) in _rows(path, 3):
        if not re.fullmatch(r"\d\d", root):
            raise _fail(path, number, f"CAMEO root must be two digits, not {root!r}")
        try:
            value = float(score)
        except ValueError:
            raise _fail(path, number, f"score must be a number, not {score!r}") from None
        if not -10.0 <= value <= 10.0:
            raise _fail(path, number, f"score {value} is outside -10..+10")
        scores[root] = value
    return scores


def load_lexicon(path: Path, types: dict[str, TypeInfo]) -> list[Pattern]:
    """Read one lexicon file (format in the header of data/events/lexicon.tsv). A coded entry's
    type must be the type its CAMEO code has in the CAMEO-to-PLOVER table; without a mode of its
    own it takes the code's mode."""
    patterns = []
    for row in read_table(path, ("pos", "pattern", "type", "mode", "cameo", "reason"), optional=1):
        pos, pattern, type_, mode, cameo = (row[c] for c in ("pos", "pattern", "type", "mode", "cameo"))
        number = row.line
        if pos not in POS_KINDS:
            raise row.error(f"pos must be one of {', '.join(POS_KINDS)}, not {pos!r}")
        words = pattern.lower().split()
        if not words:
            raise row.error("empty pattern")
        if pos in ("L", "E", "A"):
            if pos != "E" and len(words) > 1:
                raise row.error(f"a {pos} line names one word, not {pattern!r}")
            patterns.append(Pattern(pos, words[0], tuple(words[1:]), None, None, None, number))
            continue
        for word in words[1:]:
            if word.startswith("dep:") and len(word) == 4:
                raise row.error("dep: needs a dependency label")
        if type_ == "-":
            patterns.append(Pattern(pos, words[0], tuple(words[1:]), None, None, None, number))
            continue
        if type_ not in types:
            raise row.error(f"{type_!r} is not a PLOVER type")
        if not _CAMEO.match(cameo):
            raise row.error(f"a coded entry needs a CAMEO code of 2-4 digits, not {cameo!r}")
        plover = cameo_table.to_plover(cameo)
        if plover is None or plover.type != type_:
            raise row.error(f"CAMEO {cameo} is {plover.type if plover else 'not a PLOVER event'} in "
                            f"cameo_plover.tsv, not {type_}: give the code of the act meant")
        if mode != "-" and mode not in types[type_].modes:
            raise row.error(f"mode {mode!r} is not a mode of {type_} (see plover.tsv)")
        patterns.append(Pattern(pos, words[0], tuple(words[1:]), type_,
                                plover.mode if mode == "-" else mode, cameo, number))
    return patterns


def load_modality(path: Path = DATA / "modality.tsv") -> tuple[dict[str, dict[str, str]], dict[str, str],
                                                             list[tuple[str, str]]]:
    cues: dict[str, dict[str, str]] = {where: {} for where in MODALITY_WHERE}
    governor_events: dict[str, str] = {}
    phrases: list[tuple[str, str]] = []
    for number, (where, cue, flag, event) in _rows(path, 4):
        if where not in MODALITY_WHERE:
            raise _fail(path, number, f"where must be one of {', '.join(MODALITY_WHERE)}, not {where!r}")
        if flag not in MODALITY_FLAGS:
            raise _fail(path, number, f"flag must be one of {', '.join(MODALITY_FLAGS)}, not {flag!r}")
        if where not in ("obligation", "speech") and flag == "-":
            raise _fail(path, number, f"a {where} cue needs a flag")
        if event not in ("keep", "drop", "-"):
            raise _fail(path, number, f"governor-is-event must be keep, drop or -, not {event!r}")
        cue = cue.lower()
        if where == "phrase":
            phrases.append((cue, flag))
        cues[where][cue] = flag
        if where == "governor" and event != "-":
            governor_events[cue] = event
    return cues, governor_events, phrases


def _cue_set(cell: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Split a comma-separated cue cell into single lemmas and multiword phrases."""
    cues = [c.strip().lower() for c in cell.split(",") if c.strip()]
    return frozenset(c for c in cues if " " not in c), tuple(c for c in cues if " " in c)


def load_mode_cues(types: dict[str, TypeInfo], path: Path = DATA / "modes.tsv"):
    cues: dict[str, list[tuple[str, frozenset[str], tuple[str, ...]]]] = {}
    for number, (type_, mode, cell) in _rows(path, 3):
        if type_ not in types:
            raise _fail(path, number, f"{type_!r} is not a PLOVER type")
        if mode not in types[type_].modes:
            raise _fail(path, number, f"mode {mode!r} is not a mode of {type_} (see plover.tsv)")
        words, phrases = _cue_set(cell)
        cues.setdefault(type_, []).append((mode, words, phrases))
    return cues


def load_contexts(path: Path = DATA / "contexts.tsv"):
    contexts = []
    for number, (label, cell) in _rows(path, 2):
        words, phrases = _cue_set(cell)
        if not words and not phrases:
            raise _fail(path, number, f"context {label!r} has no cue words")
        contexts.append((label, words, phrases))
    return contexts


@lru_cache(maxsize=8)
def knowledge(extra_files: tuple[str, ...] = ()) -> Knowledge:
    """The compiled event knowledge: built-in files plus user ``*.events.tsv`` lexicons."""
    types = load_types()
    k = Knowledge(types=types, scores=load_scores())
    patterns = load_lexicon(DATA / "lexicon.tsv", types)
    for extra in extra_files:
        patterns.extend(load_lexicon(Path(extra), types))
    support, agents = set(), set()
    for p in patterns:
        if p.pos == "L":
            support.add(p.head)
        elif p.pos == "A":
            agents.add(p.head)
        elif p.pos == "E":
            k.occurrence_verbs.setdefault(p.head, []).append(p)
        else:
            (k.verbs if p.pos == "V" else k.nouns).setdefault(p.head, []).append(p)
    for table in (k.verbs, k.nouns, k.occurrence_verbs):
        for head, entries in table.items():
            # most specific first; file order breaks ties (sorted() is stable)
            table[head] = sorted(entries, key=lambda p: -p.specificity)
    k.support_verbs = frozenset(support)
    k.protest_agents = frozenset(agents)
    k.modality, k.governor_events, k.phrases = load_modality()
    k.mode_cues = load_mode_cues(types)
    k.contexts = load_contexts()
    k.skip_prefixes = tuple(cols[0].lower() for _n, cols in _rows(DATA / "not_events.tsv", 1))
    k.dictionary = verb_dictionary.load(scope=k.pattern_scope)
    return k


def user_lexicons(knowledge_files: list[str]) -> tuple[str, ...]:
    """The user knowledge files that are event lexicons (named ``*.events.tsv``)."""
    return tuple(sorted(f for f in knowledge_files if f.endswith(USER_SUFFIX)))
