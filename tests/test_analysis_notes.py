"""Analysis.notes: skipped inputs, languages left out, reference dates and warnings, as
short reader sentences (no model needed: nothing here annotates)."""

from __future__ import annotations

import warnings
from pathlib import Path

import analystkit as ak


def _corpus(tmp_path: Path) -> Path:
    (tmp_path / "dated.txt").write_text("---\ndate: 2017-06-08\n---\nThe army said it struck.\n")
    (tmp_path / "undated.txt").write_text("The talks went on for a week in the capital.\n")
    (tmp_path / "lined.txt").write_text("PARIS, 3 May 2005 - The ministers met again.\n")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "de.txt").write_text(
        "Die Regierung hat am Dienstag in Berlin erklärt, dass die Verhandlungen mit den "
        "Nachbarländern über die neuen Regeln für den Handel weitergehen werden und dass "
        "man sich bis zum Ende des Jahres auf einen gemeinsamen Vorschlag einigen will.\n")
    return tmp_path


def test_notes_count_skipped_inputs_and_languages_left_out(tmp_path):
    analysis = ak.Analysis(_corpus(tmp_path), model="blank:en")
    notes = analysis.notes
    assert any(note.startswith("2 inputs skipped (") and "1 empty" in note
               and "1 unsupported type" in note for note in notes), notes
    assert any("1 document not in English left out (1 German)" in note for note in notes), notes
    assert not any(str(tmp_path) in note for note in notes)


def test_notes_say_how_undated_documents_got_their_reference_date(tmp_path):
    analysis = ak.Analysis(_corpus(tmp_path), model="blank:en")
    assert not any("publication date" in note for note in analysis.notes)  # not computed yet
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the reference-date warning is a note, not raised
        assert len(analysis.reference_dates) == 3
    note = next(note for note in analysis.notes if "publication date" in note)
    assert note.startswith("2 of 3 documents have no publication date in their metadata; "
                           "reference date from:")
    assert "a dateline (1)" in note and "none, so a relative timeline (1)" in note


def test_warnings_raised_while_computing_become_notes_without_paths(tmp_path):
    analysis = ak.Analysis(_corpus(tmp_path), model="blank:en")
    doc_id = analysis.corpus.documents[0].doc_id
    with analysis._collecting():
        warnings.warn(f"analystkit: corrupt cache entry {tmp_path}/ab/cd.spacy for {doc_id}; "
                      "recomputed", stacklevel=1)
    note = analysis.notes[-1]
    assert note == f"Corrupt cache entry cd.spacy for {analysis.labels[doc_id]}; recomputed"


def test_no_progress_bar_inside_a_report_run(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSTKIT_REPORT_TABLES_DIR", str(tmp_path / "tables" / "00_x"))
    assert ak.Analysis(_corpus(tmp_path), model="blank:en").progress is False
    monkeypatch.delenv("ANALYSTKIT_REPORT_TABLES_DIR")
    assert ak.Analysis(_corpus(tmp_path), model="blank:en").progress is None
