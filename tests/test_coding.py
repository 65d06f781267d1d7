"""Conflict/cooperation coding: lexicon file and phrase matching on a parse."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from analystkit.coding import QUAD_CLASSES, load_lexicon
from analystkit.errors import InputError


def parsed(words, heads, deps, lemmas, pos=None):
    nlp = spacy.blank("en")
    return Doc(nlp.vocab, words=words, heads=heads, deps=deps, lemmas=lemmas,
               pos=pos or ["VERB"] * len(words))


def test_shipped_lexicon_is_valid_and_covers_the_issue_examples():
    lexicon = load_lexicon()
    assert {code.quad_class for code in lexicon.codes.values()} == set(QUAD_CLASSES)
    assert all(-10 <= code.goldstein <= 10 for code in lexicon.codes.values())
    expected = {"threaten to hit": "verbal conflict", "strike": "material conflict",
                "destroy": "material conflict", "depend upon": "verbal cooperation",
                "work out": "verbal cooperation", "say": "neutral", "confirm": "neutral"}
    for phrase, quad in expected.items():
        assert lexicon.codes[phrase].quad_class == quad, phrase


def test_longest_phrase_wins_threaten_to_hit():
    doc = parsed(["allies", "threatened", "to", "hit", "positions"], [1, 1, 3, 1, 3],
                 ["nsubj", "ROOT", "aux", "xcomp", "dobj"],
                 ["ally", "threaten", "to", "hit", "position"])
    code = load_lexicon().code(doc[1])
    assert (code.phrase, code.quad_class, code.goldstein) == ("threaten to hit",
                                                              "verbal conflict", -7.0)
    assert load_lexicon().code(doc[3]).quad_class == "material conflict"


def test_particle_and_preposition_phrases():
    doc = parsed(["we", "depend", "upon", "them"], [1, 1, 1, 2],
                 ["nsubj", "ROOT", "prep", "pobj"], ["we", "depend", "upon", "they"])
    assert load_lexicon().code(doc[1]).phrase == "depend upon"
    doc = parsed(["work", "things", "out"], [0, 0, 0], ["ROOT", "dobj", "prt"],
                 ["work", "thing", "out"])
    assert load_lexicon().code(doc[0]).quad_class == "verbal cooperation"


def test_unknown_predicate_has_no_code():
    doc = parsed(["they", "slept"], [1, 1], ["nsubj", "ROOT"], ["they", "sleep"])
    assert load_lexicon().code(doc[1]) is None


def test_bad_lexicon_file_names_the_row(tmp_path):
    bad = tmp_path / "lex.csv"
    bad.write_text("phrase,quad_class,goldstein,cameo,note\nsay,neutral,0,010,\n"
                   "smash,total war,-20,190,\n")
    with pytest.raises(InputError, match=r"lex.csv: row 3"):
        load_lexicon(bad)
    with pytest.raises(InputError, match="cannot read"):
        load_lexicon(tmp_path / "missing.csv")
