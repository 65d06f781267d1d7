"""NER fixes: headline sentence case with original offsets, gazetteer merge rule, tokenizer."""

from __future__ import annotations

import pandas as pd
import pytest
import spacy

from analystkit.corpus import Corpus, Document
from analystkit.nerfix import Gazetteer, sentence_case_headline, with_text
from analystkit.pipeline import annotate


@pytest.mark.parametrize(("headline", "expected"), [
    ("Iranian Drone Shadows US Forces In Syria Day Before Attack",
     "Iranian drone shadows US forces in Syria day before attack"),
    ("UN Envoy Meets Leaders Of The United Kingdom And Russia",
     "UN envoy meets leaders of the United Kingdom and Russia"),
    ("BAHIA COCOA REVIEW", "BAHIA COCOA REVIEW"),  # all acronym-like: left alone
    ("Ölpreise Steigen Stark", "Ölpreise steigen stark"),
    ("# Storm Hits Coast", "# Storm hits coast"),  # a markdown heading in title case
    ("# Bush meets Blair in London", "# Bush meets Blair in London"),  # sentence case: as is
])
def test_sentence_case_headline(headline, expected):
    text = headline + "\n\nBody text Stays As It Is."
    result = sentence_case_headline(text, len(headline))
    assert result == expected + "\n\nBody text Stays As It Is."
    assert len(result) == len(text)


def test_sentence_case_keeps_length_for_special_characters():
    text = "İstanbul Talks Begin\n\nBody."
    result = sentence_case_headline(text, 20)
    assert len(result) == len(text)


def test_with_text_restores_original_characters_and_keeps_annotations():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    original = "Big News Today\n\nIran spoke. Iraq listened."
    tagged = sentence_case_headline(original, 14)
    doc = nlp(tagged)
    doc.ents = [doc.char_span(16, 20, label="GPE")]
    restored = with_text(doc, original)
    assert restored.text == original and doc.text != original
    assert [(e.text, e.label_) for e in restored.ents] == [("Iran", "GPE")]
    assert [s.start for s in restored.sents] == [s.start for s in doc.sents]


def test_annotate_keeps_the_original_headline_text(tmp_path):
    text = "Big News In Town Today\n\nOfficials said more."
    document = Document("d", text, headline_end=22)
    annotated = annotate(Corpus([document], pd.DataFrame()), model="blank:en",
                         cache_dir=tmp_path)
    assert annotated.docs[0].text == text
    again = annotate(Corpus([document], pd.DataFrame()), model="blank:en", cache_dir=tmp_path)
    assert again.cache_hits == 1 and again.docs[0].text == text
    # the same text without a headline is a different cache entry
    plain = annotate(Corpus([Document("d", text)], pd.DataFrame()), model="blank:en",
                     cache_dir=tmp_path)
    assert plain.cache_hits == 0


@pytest.fixture(scope="module")
def gazetteer_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp, Gazetteer(nlp)


def _ents(nlp, gazetteer, text, model_ents):
    doc = nlp(text)
    spans = []
    for surface, label in model_ents:
        start = text.index(surface)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    return [(e.text, e.label_) for e in gazetteer(doc).ents]


def test_gazetteer_relabels_a_covered_mislabel(gazetteer_nlp):
    nlp, gazetteer = gazetteer_nlp
    assert ("Raqqa", "GPE") in _ents(nlp, gazetteer, "They reached Raqqa.", [("Raqqa", "PERSON")])


def test_gazetteer_extends_a_partial_entity(gazetteer_nlp):
    nlp, gazetteer = gazetteer_nlp
    ents = _ents(nlp, gazetteer, "They fought Islamic State.", [("Islamic", "NORP")])
    assert ents == [("Islamic State", "ORG")]


def test_gazetteer_never_cuts_a_longer_model_entity(gazetteer_nlp):
    nlp, gazetteer = gazetteer_nlp
    ents = _ents(nlp, gazetteer, "Bank of America grew.", [("Bank of America", "ORG")])
    assert ents == [("Bank of America", "ORG")]


def test_gazetteer_skips_risky_forms_of_ambiguous_rows(gazetteer_nlp):
    nlp, gazetteer = gazetteer_nlp
    assert _ents(nlp, gazetteer, "IT IS US WHO WON.", []) == []
    assert ("USA", "GPE") in _ents(nlp, gazetteer, "USA air strikes.", [])


def test_gazetteer_tags_geographic_features(gazetteer_nlp):
    nlp, gazetteer = gazetteer_nlp
    ents = _ents(nlp, gazetteer, "Fighters took Jabal Ghrab, a hill.", [("Jabal Ghrab", "PERSON")])
    assert ents == [("Jabal Ghrab", "LOC")]


@pytest.mark.model
def test_tokenizer_splits_abbreviation_compounds():
    from analystkit import ModelNotFoundError, load_model

    try:
        nlp = load_model()
    except ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    assert [t.text for t in nlp.make_doc("U.S.-led forces")] == ["U.S.", "-", "led", "forces"]
    assert [t.text for t in nlp.make_doc("-US-backed")] == ["-", "US", "-", "backed"]


ALIAS_HEADER = "entity_id,canonical,label,aliases,demonyms,ambiguous\n"


def test_gazetteer_takes_the_alias_file_as_a_setting(tmp_path):
    from analystkit.nerfix import GAZETTEER

    custom = tmp_path / "aliases.csv"
    custom.write_text(ALIAS_HEADER + "zorbland,Zorbland,GPE,Zorblandia,Zorblander,0\n")
    nlp = spacy.blank("en")
    nlp.add_pipe(GAZETTEER, config={"aliases": str(custom)})
    assert nlp.config["components"][GAZETTEER]["aliases"] == str(custom)
    ents = [(e.text, e.label_) for e in nlp("Troops entered Zorblandia on Monday.").ents]
    assert ents == [("Zorblandia", "GPE")]
    shipped = spacy.blank("en")
    shipped.add_pipe(GAZETTEER)
    assert shipped("Troops entered Zorblandia on Monday.").ents == ()


def test_fingerprint_follows_the_alias_file_content(tmp_path):
    from analystkit.nerfix import GAZETTEER
    from analystkit.pipeline import pipeline_fingerprint

    custom = tmp_path / "aliases.csv"

    def fingerprint(rows: str) -> str:
        custom.write_text(ALIAS_HEADER + rows)
        nlp = spacy.blank("en")
        nlp.add_pipe(GAZETTEER, config={"aliases": str(custom)})
        return pipeline_fingerprint(nlp)

    first = fingerprint("zorbland,Zorbland,GPE,Zorblandia,,0\n")
    second = fingerprint("zorbland,Zorbland,GPE,Zorblandia|Zorbo,,0\n")  # same path
    assert first != second
    assert fingerprint("zorbland,Zorbland,GPE,Zorblandia,,0\n") == first


@pytest.mark.model
def test_load_model_with_aliases_tags_a_name_the_model_misses(tmp_path):
    from analystkit import ModelNotFoundError, load_model
    from analystkit.nerfix import GAZETTEER

    custom = tmp_path / "aliases.csv"
    custom.write_text(ALIAS_HEADER + "zorbland,Zorbland,GPE,Zorblandia,,0\n")
    try:
        plain = load_model()
        nlp = load_model(aliases=custom)
    except ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    text = "Troops entered Zorblandia on Monday."
    assert ("Zorblandia", "GPE") not in [(e.text, e.label_) for e in plain(text).ents]
    assert ("Zorblandia", "GPE") in [(e.text, e.label_) for e in nlp(text).ents]
    assert nlp.config["components"][GAZETTEER]["aliases"] == str(custom.resolve())
    # an edited file at the same path is a new pipeline and a new cache folder
    from analystkit.pipeline import pipeline_fingerprint

    custom.write_text(ALIAS_HEADER + "zorbland,Zorbland,GPE,Zorblandia|Zorbo,,0\n")
    edited = load_model(aliases=custom)
    assert edited is not nlp and pipeline_fingerprint(edited) != pipeline_fingerprint(nlp)
