"""The quotes scorer on tiny hand-made PolNeAR-style brat files."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.evaluation import quotes as scorer
from eventwire.evaluation.quotes import GoldSpan


class Brat:
    """Write a brat .ann file for a text, finding each span by its text."""

    def __init__(self, text: str):
        self.text, self.lines, self.n = text, [], 0

    def span(self, kind: str, words: str, after: int = 0) -> tuple[str, int]:
        start = self.text.index(words, after)
        self.n += 1
        self.lines.append(f"T{self.n}\t{kind} {start} {start + len(words)}\t{words}")
        return f"T{self.n}", start + len(words)

    def attribution(self, content: str, cue: str, source: str | None, after: int = 0) -> None:
        content_id, end = self.span("Content", content, after)
        cue_id, _ = self.span("Cue", cue, after)
        roles = f"Content:{content_id} Cue:{cue_id}"
        if source is not None:
            roles += f" Source:{self.span('Source', source, after)[0]}"
        self.n += 1
        self.lines.append(f"T{self.n}\tAttribution {self.text.index(cue, after)} "
                          f"{self.text.index(cue, after) + len(cue)}\t{cue}")
        self.lines.append(f"E{self.n}\tAttribution:T{self.n} {roles}")

    def write(self, folder: Path, name: str, annotator: str = "aaaa") -> None:
        (folder / "text").mkdir(parents=True, exist_ok=True)
        (folder / "attributions").mkdir(parents=True, exist_ok=True)
        (folder / "text" / f"{name}.txt").write_text(self.text, encoding="utf-8")
        (folder / "attributions" / f"{name}_{annotator}.ann").write_text(
            "\n".join(self.lines) + "\n", encoding="utf-8")


PERFECT = ("“We will win the vote,” Jane Doe said.\n\n"
           "The Kremlin said that the drills would end soon.\n\n"
           "Critics believe the plan failed.\n")


def perfect_article(folder: Path) -> None:
    brat = Brat(PERFECT)
    brat.attribution("“We will win the vote,”", "said", "Jane Doe")
    brat.attribution("that the drills would end soon", "said", "The Kremlin",
                     after=PERFECT.index("The Kremlin"))
    brat.attribution("the plan failed", "believe", "Critics")
    brat.write(folder, "perfect")


def test_read_ann_spans_relations_and_discontinuous_content(tmp_path):
    path = tmp_path / "a_x.ann"
    path.write_text("T1\tSource 0 3\tBob\nT2\tCue 4 8\tsaid\nT3\tContent 10 14;20 25\tabcd fghij\n"
                    "T4\tAttribution 4 8\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
                    "#1\tAnnotatorNotes T3\tjoined\n", encoding="utf-8")
    (gold,) = scorer.read_ann(path)
    assert gold.source.text == "Bob" and gold.cue.text == "said"
    assert gold.content.fragments == [(10, 14), (20, 25)] and len(gold.content) == 9
    assert gold.content.overlap(12, 22) == 4


def test_read_ann_span_text_over_a_line_break(tmp_path):
    path = tmp_path / "b_x.ann"
    path.write_text("T1\tContent 0 9\tone two\nthree\nT2\tCue 10 14\tsaid\n"
                    "T3\tAttribution 10 14\tsaid\nE1\tAttribution:T3 Cue:T2 Content:T1\n",
                    encoding="utf-8")
    (gold,) = scorer.read_ann(path)
    assert gold.content.fragments == [(0, 9)] and gold.source is None


def test_read_ann_names_file_and_line_of_a_bad_line(tmp_path):
    path = tmp_path / "bad_x.ann"
    path.write_text("T1\tSource 0 3\tBob\nT2\tCue four eight\tsaid\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        scorer.read_ann(path)
    assert f"{path}:2" in str(error.value)


def test_direct_means_content_in_quotation_marks():
    text = 'He said "we won" and that they lost.'
    assert scorer.is_direct(text, GoldSpan([(8, 16)], '"we won"'))
    assert scorer.is_direct(text, GoldSpan([(9, 15)], "we won"))
    assert not scorer.is_direct(text, GoldSpan([(26, 35)], "they lost"))


def test_covered_joins_our_quotes():
    gold = GoldSpan([(0, 10), (20, 30)], "")
    assert scorer.covered(gold, [(0, 10), (5, 12), (22, 40)]) == 18


def test_first_annotation_file_by_name_is_used(tmp_path):
    perfect_article(tmp_path)
    Brat(PERFECT).write(tmp_path, "perfect", annotator="zzzz")  # a second, empty annotation
    (pair,) = scorer.pick_annotations(tmp_path)
    assert pair[1].name == "perfect_aaaa.ann"


def test_perfect_article_scores_one(tmp_path, settings):
    perfect_article(tmp_path / "dev")
    report = scorer.run(tmp_path, settings)
    assert report.items == 1
    assert report.metrics["direct_content_recall"] == 1.0
    assert report.metrics["direct_speaker_accuracy"] == 1.0
    assert report.metrics["speech_recall"] == 1.0
    assert report.metrics["speech_precision"] == 1.0
    assert report.metrics["speech_f1"] == 1.0


def test_missed_quote_and_wrong_speaker_score_below_one(tmp_path, settings):
    text = "Ann Lee met Tom Ray.\n\n“Prices will rise,” Ann Lee said.\n\nTom Ray said nothing at all.\n"
    brat = Brat(text)
    brat.attribution("“Prices will rise,”", "said", "Tom Ray")  # the gold blames the other person
    second = text.index("Tom Ray said")
    brat.attribution("nothing at all", "said", "Tom Ray", after=second)  # we report no such quote
    brat.write(tmp_path, "flawed")
    report = scorer.run(tmp_path, settings)  # the split folder itself
    assert report.metrics["direct_content_recall"] == 1.0
    assert report.metrics["direct_speaker_accuracy"] == 0.0
    assert report.metrics["speech_recall"] == 0.5
    assert 0 < report.metrics["speech_f1"] < 1
    classes = {e["class"]: e["count"] for e in report.errors}
    assert classes.get("direct: wrong speaker") == 1
    assert classes.get("indirect: missed") == 1
    assert any("wrong speaker" in note for note in report.notes)
