"""Where a sentence's acts take place, for unnamed domestic actors.

"Police", "prosecutors", "the jury" or "protesters" name no country, yet they act in the
country where the text places the act: the country of the places a sentence names (one
country, or the one it places the act in), else that of the nearest of the three
sentences before that names any, else the article's dateline. This is never the article's most frequent country, and people named or
described by office (ministers, officials, spokespeople) never take it: only the sectors that
act at home (police, courts, legislatures, civilians, protesters, workers, ...) and
governing bodies ("the authorities").
"""

from __future__ import annotations

from .resolver import Phrase
from .state import ArticleActors

# sectors whose unnamed members act in the country where they are
DOMESTIC_SECTORS = frozenset({"COP", "JUD", "LEG", "OPP", "CVL", "LAB", "AGR", "EDU", "MED"})
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "inside", "outside", "across", "around",
                                   "throughout"})
DATELINE_DASHES = frozenset({"-", "—", "–", "--"})
DATELINE_MAX_TOKENS = 8
SENTENCES_BACK = 3  # how far back a sentence naming a place still sets the scene
AMBIGUOUS = ""


def takes_scene(phrase: Phrase) -> bool:
    """Whether a role phrase without a country of its own takes the scene's country."""
    if not phrase.role or phrase.role_form in ("relational", "state", None):
        return False
    if phrase.role_sector in DOMESTIC_SECTORS:
        return True
    return phrase.role_sector == "GOV" and phrase.role_form == "body"


def scene_country(state: ArticleActors, doc, token_i: int) -> str | None:
    """The country where the acts of token ``token_i``'s sentence take place, if the text says."""
    sent = doc[token_i].sent
    code = _sentence_country(state, doc, sent)
    for _ in range(SENTENCES_BACK):
        if code is not None or sent.start == 0:
            break
        sent = doc[sent.start - 1].sent
        code = _sentence_country(state, doc, sent)
    if code is None:
        code = _dateline_country(state, doc)
    return code or None


def _sentence_country(state: ArticleActors, doc, span, key: str = "sentence") -> str | None:
    """One sentence's country: the one it names, or the one it places the act in ("in X", a
    town); None when it names none; AMBIGUOUS when several and no single one is the place."""
    key = (key, span.start)
    if key in state.scenes:
        return state.scenes[key]
    codes: list[str] = []
    located: list[str] = []
    for m in state.matches_in(span.start, span.end):
        if m.entry.kind not in ("country", "place") or m.entry.sub == "ethnic":
            continue
        code = state.kb.state_of_place(m.entry.key, state.day)[0] if state.day else m.entry.key
        if code not in codes:
            codes.append(code)
        i = state.toks[m.start].index
        if (m.entry.sub == "town" or (i > 0 and doc[i - 1].lower_ in LOCATIVE_PREPOSITIONS)) \
                and code not in located:
            located.append(code)
    for u in state.person_units:
        if span.start <= u[2] < span.end and u[4].country and u[4].country not in codes:
            codes.append(u[4].country)
    if located:
        found = located[0] if len(located) == 1 else AMBIGUOUS
    elif len(codes) == 1:
        found = codes[0]
    else:
        found = AMBIGUOUS if codes else None
    state.scenes[key] = found
    return found


def _dateline_country(state: ArticleActors, doc) -> str | None:
    """The country of a dateline opening the article ("LAGOS, Nigeria - ...")."""
    head = doc[:DATELINE_MAX_TOKENS]
    dash = next((t.i for t in head if t.text in DATELINE_DASHES), None)
    if dash is None or dash == 0:
        return None
    code = _sentence_country(state, doc, doc[0:dash], key="dateline")
    return code or None
