"""Convert the PETRARCH2 CAMEO verb dictionary into eventwire's verb-pattern data files.

The source (``CAMEO.2.0.txt``, Open Event Data Alliance, MIT licence) groups verbs in
synonym blocks; each block has a default CAMEO code, verbs may carry their own code, and
patterns (``- &MILITARY * (TO BORDER) [154]``) refine the code by the words around the
verb. We keep that structure, lower-cased and with comments dropped, in three files:

- ``cameo_synsets.tsv``: the word sets patterns refer to (``&CURRENCY``);
- ``cameo_verbs.tsv``: every verb (lemma, multi-word verbs with their particle) with its
  block and code;
- ``cameo_patterns.tsv``: every pattern with its block, code and the verb it was written for.

The pattern syntax stays the dictionary's (eventwire.events.patterns reads it). Rerun with
``eventwire knowledge convert --shared ../shared``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KnowledgeFileError

SOURCE = "petrarch2/CAMEO.2.0.txt"
_CODE = re.compile(r"\[([^\]]*)\]")
_COMMENT = re.compile(r"<!--.*?-->|#.*$|;.*$")
_VALID_CODE = re.compile(r"^(---|\d{2,4})?(:(---|\d{2,4})?)?$")


@dataclass
class VerbDictionary:
    """The parsed verb dictionary: synsets, verbs and patterns, each with its source line."""

    synsets: list[tuple[str, str, bool, int]] = field(default_factory=list)  # name, phrase, exact, line
    # block, verb, forms, code, whose code ("verb" or "block"), line
    verbs: list[tuple[str, str, str, str, str, int]] = field(default_factory=list)
    patterns: list[tuple[str, str, str, str, int]] = field(default_factory=list)  # block, pattern, code, verb, line


def _words(text: str) -> str:
    """A dictionary phrase as eventwire writes it: lower case, words separated by spaces;
    a trailing ``_`` (no inflection) is kept on the word it marks."""
    text = text.strip().lower()
    out = []
    for word in text.split():
        exact = word.endswith("_")
        parts = [p for p in word.strip("_").split("_") if p]
        if parts and exact:
            parts[-1] += "_"
        out.extend(parts)
    return " ".join(out)


def _code(raw: str, origin: str) -> str:
    code = raw.strip().rstrip("!")  # one source pattern marks its code "[080!]"
    if not _VALID_CODE.match(code):
        raise KnowledgeFileError(f"unreadable CAMEO code [{code}]", origin=origin)
    return code or "---"


def parse(path: Path) -> VerbDictionary:
    """Read ``CAMEO.2.0.txt``; a line the grammar does not allow raises naming file and line."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise KnowledgeFileError(f"cannot read the verb dictionary: {exc}", origin=str(path)) from exc
    result = VerbDictionary()
    synset: str | None = None
    synset_exact = False
    block, block_code = "", "---"
    in_verbs = False
    for number, raw in enumerate(lines, start=1):
        origin = f"{path}:{number}"
        if "VERB PATTERNS" in raw and raw.lstrip().startswith("#"):
            in_verbs, synset = True, None
            continue
        if "TRANSFORMATIONS" in raw and raw.lstrip().startswith("#"):
            break  # embedded-event rules: eventwire reads those through its modality cues
        if raw.startswith("---"):
            header = raw.strip("- \t")
            codes = _CODE.findall(header)
            block = _words(_CODE.sub("", header))
            block_code = _code(codes[0], origin) if codes else "---"
            synset = None
            continue
        line = _COMMENT.sub("", raw).strip()
        if not line:
            if not raw.strip() and not in_verbs:
                synset = None  # a blank line ends a synset; a comment line does not
            continue
        if line.startswith("&"):
            synset = line[1:].strip().lower()
            synset_exact = synset.endswith("_")
            synset = synset.rstrip("_")
            continue
        if not in_verbs:
            if line.startswith("+") and synset:
                phrase = line[1:].strip()
                result.synsets.append((synset, _words(phrase), synset_exact or phrase.endswith("_"), number))
                continue
            raise KnowledgeFileError(f"unexpected line outside a synset: {line!r}", origin=origin)
        if line.startswith("-"):
            codes = _CODE.findall(line)
            if not codes:
                raise KnowledgeFileError(f"pattern without a [code]: {line!r}", origin=origin)
            body = _CODE.sub("", line)[1:].strip()
            comment = raw.split("#", 1)[1].strip() if "#" in raw else ""
            verb = _words(comment.split()[0].rstrip(",")) if comment and comment.split()[0].isupper() else ""
            result.patterns.append((block, _pattern(body), _code(codes[0], origin), verb, number))
            continue
        # a verb line: VERB {IRREGULAR FORMS} [code], or +MULTI_WORD {+FORMS} [code]
        codes = _CODE.findall(line)
        forms_match = re.search(r"\{([^}]*)\}", line)
        forms = forms_match.group(1).replace("+", " ").split() if forms_match else []
        head = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", line).strip().lstrip("+").strip()
        if not head or not re.fullmatch(r"[A-Za-z][A-Za-z_'\-]*", head):
            raise KnowledgeFileError(f"unreadable verb line: {line!r}", origin=origin)
        code = _code(codes[0], origin) if codes else block_code
        result.verbs.append((block, _words(head), "|".join(_words(f) for f in forms) or "-", code,
                             "verb" if codes else "block", number))
    return result


def _pattern(body: str) -> str:
    """A pattern body in eventwire's spelling: lower case, ``_`` joins split into words,
    brackets spaced so that every element is one whitespace-separated token."""
    body = body.replace("**", "*").replace("*", " * ").replace("(", " ( ").replace(")", " ) ").replace("{", " { ").replace("}", " } ")
    tokens = []
    for token in body.split():
        if token in ("(", ")", "{", "}", "*", "$", "+", "%", "^") or token.startswith("&"):
            tokens.append(token.lower())
        else:
            tokens.append(_words(token))
    return " ".join(t for t in tokens if t)


def _undefined_synsets(pattern: str, names: set[str]) -> list[str]:
    return [t[1:] for t in pattern.split() if t.startswith("&") and t[1:].rstrip("_") not in names]


def write(dictionary: VerbDictionary, out_dir: Path, provenance: str) -> list[Path]:
    """Write the three data files; return their paths. Patterns that use a synset the source
    never defines are left out, as PETRARCH ignores them (the header counts them)."""
    names = {s for s, _p, _e, _n in dictionary.synsets}
    patterns = [p for p in dictionary.patterns if not _undefined_synsets(p[1], names)]
    dropped = len(dictionary.patterns) - len(patterns)
    header = (f"# Generated by `eventwire knowledge convert` from {SOURCE} ({provenance}).\n"
              "# Source: PETRARCH2 CAMEO verb dictionary, Copyright (c) 2015 Open Event Data Alliance,\n"
              "# MIT License (eventwire/data/licenses/petrarch2-MIT.txt). Do not edit: rerun the converter\n"
              "# and put your own entries in a user file (docs/events.md).\n")
    files = {
        "cameo_synsets.tsv": (
            "# eventwire-knowledge: cameo-synsets\n" + header +
            "# Columns: synset  phrase  exact  line\n"
            "#   synset  the name patterns use after '&'\n"
            "#   phrase  words that must occur in this order; a word ending in '_' takes no inflection\n"
            "#   exact   yes: no inflected forms of the phrase (the source marks it with '_')\n"
            "#   line    line of the source file\n",
            [(s, p, "yes" if e else "no", str(n)) for s, p, e, n in dictionary.synsets]),
        "cameo_verbs.tsv": (
            "# eventwire-knowledge: cameo-verbs\n" + header +
            "# Columns: block  verb  forms  cameo  from  line\n"
            "#   block   the synonym block; its patterns apply to every verb of the block\n"
            "#   verb    the verb's lemma; a multi-word verb is the lemma and its particle ('call off')\n"
            "#   forms   irregular forms given by the source, separated by |, or -\n"
            "#   cameo   the code of the verb alone: CAMEO code, '---' for no event, 'a:b' for paired\n"
            "#           events (b is the event of the target towards the source)\n"
            "#   from    verb: the source gives the verb its own code; block: the verb takes its block's code\n"
            "#   line    line of the source file\n",
            [(b, v, f, c, o, str(n)) for b, v, f, c, o, n in dictionary.verbs]),
        "cameo_patterns.tsv": (
            "# eventwire-knowledge: cameo-patterns\n" + header +
            "# Columns: block  pattern  cameo  verb  line\n"
            "#   pattern  words before '*' belong to the subject, words after it to the rest of the\n"
            "#            clause; '(prep ...)' is a prepositional phrase, '{a b}' a noun phrase, '&name'\n"
            "#            a synset, '$' / '+' the source / target position, '^' any words, '%' a\n"
            "#            compound actor; a word ending in '_' takes no inflection\n"
            "#   cameo    CAMEO code, '---' for no event, 'a:b' for paired events\n"
            "#   verb     the verb the pattern was written for (the source's comment), or -\n"
            "#   line     line of the source file\n"
            f"# {dropped} source patterns that use an undefined synset are left out.\n",
            [(b, p, c, v or "-", str(n)) for b, p, c, v, n in patterns]),
    }
    written = []
    for name, (head, rows) in files.items():
        path = out_dir / name
        path.write_text(head + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
        written.append(path)
    return written
