"""The shared knowledge-file reader: columns, comments, optional columns, file:line errors."""

import pytest

from eventwire.errors import KnowledgeFileError
from eventwire.knowledge import read_table, user_files


def test_rows_by_column_name_skip_comments_and_pad_optional(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("# eventwire-knowledge: terms\n# a comment\n\nalpha\tA\tx|y\nbeta\tB\n",
                    encoding="utf-8")
    rows = list(read_table(path, ("term", "code", "aliases"), optional=1, kind="terms"))
    assert [(r["term"], r["code"], r["aliases"]) for r in rows] == [("alpha", "A", "x|y"), ("beta", "B", "")]
    assert rows[1].origin == f"{path}:5"
    assert rows[1].get("aliases", "none") == "none"


def test_wrong_column_count_names_file_and_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("ok\tOK\none column only\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError) as err:
        list(read_table(path, ("term", "code")))
    assert f"{path}:2" in str(err.value) and "expected 2" in str(err.value)


def test_declared_kind_must_match(tmp_path):
    path = tmp_path / "people.tsv"
    path.write_text("# eventwire-knowledge: people\nx\ty\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError, match="expected 'roles'"):
        list(read_table(path, ("a", "b"), kind="roles"))


def test_collapse_tabs_reads_hand_aligned_files(tmp_path):
    path = tmp_path / "aligned.tsv"
    path.write_text("a\t\t\tb\n", encoding="utf-8")
    assert list(read_table(path, ("x", "y"), collapse_tabs=True))[0].values == ("a", "b")


def test_user_files_by_suffix_or_declared_kind(tmp_path):
    (tmp_path / "mine.events.tsv").write_text("x\n", encoding="utf-8")
    (tmp_path / "extra.tsv").write_text("# eventwire-knowledge: people\nx\n", encoding="utf-8")
    (tmp_path / "other.tsv").write_text("x\n", encoding="utf-8")
    assert [p.name for p in user_files([tmp_path], suffix=".events.tsv")] == ["mine.events.tsv"]
    assert [p.name for p in user_files([tmp_path], kind="people")] == ["extra.tsv"]
