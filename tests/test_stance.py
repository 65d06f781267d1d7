"""Stance: aggregation, escaping, and the seed acceptance points (model-backed)."""

from __future__ import annotations

import pandas as pd
import pytest

from analystkit import stance


def _targets():
    """Per-target rows: statement 0 is hostile to the United States and friendly to Iraq."""
    return pd.DataFrame({
        "statement_id": [0, 0, 1, 2], "doc_id": ["d"] * 4, "sent_id": [0, 0, 1, 2],
        "source_entity": ["Iran", "Iran", "Iran", None],
        "target_entity": ["United States", "Iraq", "United States", "Iraq"],
        "polarity_score": [-0.8, 0.6, -0.4, 0.5],
        "quad_class": ["verbal conflict", "verbal conflict", "verbal conflict", "neutral"]})


def test_stance_matrix_long_form_uses_each_targets_own_score():
    matrix = stance.stance_matrix(_targets())
    assert list(matrix.columns) == ["source_entity", "target_entity", "statements",
                                    "mean_polarity", "quad_class", "evidence"]
    top = matrix.iloc[0]
    assert (top.source_entity, top.target_entity, top.statements) == ("Iran", "United States", 2)
    assert top.mean_polarity == pytest.approx(-0.6) and top.evidence == "d:0;d:1"
    iraq = matrix[matrix.target_entity == "Iraq"].iloc[0]
    assert iraq.mean_polarity == pytest.approx(0.6)  # not statement 0's overall score
    assert len(stance.stance_matrix(_targets(), min_statements=2)) == 1
    assert stance.stance_matrix(_targets().iloc[:0]).empty


def test_entity_tone_counts():
    scored = pd.DataFrame({"entity_id": ["a", "a", "b"], "canonical": ["A", "A", "B"],
                           "label": ["GPE", "GPE", "ORG"],
                           "polarity": pd.array([-1, 1, 0], dtype="Int64")})
    tone = stance.entity_tone(scored).set_index("entity_id")
    assert tone.loc["a", ["mentions", "negative", "positive"]].tolist() == [2, 1, 1]
    assert tone.loc["a", "mean_polarity"] == 0 and tone.loc["b", "neutral"] == 1


def test_statements_html_escapes_document_text():
    text = 'X <b>said</b>: "<script>alert(1)</script>"'
    frame = pd.DataFrame([{
        "doc_id": "d", "sent_id": 0, "start_char": 0, "end_char": len(text),
        "source_start": 0, "source_end": 1, "cue_start": 2, "cue_end": 13,
        "content_start": 15, "content_end": len(text), "source_entity": "X",
        "polarity": "negative", "quad_class": "verbal conflict"}])
    page = stance.statements_html(frame, {"d": text})
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>said" not in page


def test_lexicon_polarity_runs_without_a_model():
    probs = stance._score_items([("They attacked and destroyed the town.", 0, 4),
                                 ("They met.", 0, 4)], "lexicon", None)
    assert probs.shape == (2, 3) and probs[0, 0] > probs[0, 2]
    with pytest.raises(ValueError):
        stance._score_items([("x", 0, 1)], "vibes", None)


# ------------------------------------------------------------------ seed acceptance (model)

@pytest.fixture(scope="module")
def seed_pair(seed_annotated):
    from analystkit.entities import entity_mentions

    return stance.statements_and_targets(seed_annotated,
                                         mentions=entity_mentions(seed_annotated))


@pytest.fixture(scope="module")
def seed(seed_pair):
    return seed_pair[0]


@pytest.mark.model
def test_seed_each_target_has_its_own_polarity(seed_pair):
    statements, targets = seed_pair
    assert set(targets["statement_id"]) <= set(statements["statement_id"])
    warned = statements[(statements.source_entity == "Hezbollah")
                        & (statements.cue == "warned")].iloc[0]
    rows = targets[targets.statement_id == warned.statement_id].set_index("target_entity")
    assert {"Syria", "United States"} <= set(rows.index)
    assert rows.loc["Syria", "polarity_score"] != rows.loc["United States", "polarity_score"]
    assert targets["polarity"].notna().all()
    for row in statements[statements.targets != ""].itertuples():
        named = set(targets.loc[targets.statement_id == row.statement_id, "target_entity"])
        assert named == set(row.targets.split("|"))


@pytest.mark.model
def test_seed_coward_aggression_quote(seed):
    row = seed[seed.content.str.contains("coward aggression")].iloc[0]
    assert row.cue == "said" and row.content.startswith('"The coward aggression')
    assert row.targets == "United States" and row.polarity == "negative"
    assert row.quad_class == "verbal conflict"


@pytest.mark.model
def test_seed_hezbollah_warning(seed):
    row = seed[(seed.source_entity == "Hezbollah") & (seed.cue == "warned")].iloc[0]
    assert "United States" in row.targets.split("|") and row.quad_class == "verbal conflict"


@pytest.mark.model
def test_seed_us_official_confirms(seed):
    row = seed[seed.source.fillna("").str.contains("United States official")].iloc[0]
    assert row.source_entity == "United States" and row.cue == "confirmed"


@pytest.mark.model
def test_seed_depend_upon_the_russians(seed):
    row = seed[seed.content.str.contains("depend upon the Russians")].iloc[0]
    assert "Russia" in row.targets.split("|") and "cooperation" in row.quad_class


def test_a_pronoun_takes_the_previous_source_only_when_it_fits():
    assert stance._fits_pronoun("he", True) and stance._fits_pronoun("She", True)
    assert not stance._fits_pronoun("he", False)
    assert stance._fits_pronoun("it", False) and not stance._fits_pronoun("it", True)
    assert stance._fits_pronoun("the statement", False)


def test_a_description_takes_the_previous_source_only_with_the_same_noun():
    assert stance._fits_description("the spokeswoman", "a ministry spokesman")
    assert not stance._fits_description("the spokesman", "Lula")
    assert not stance._fits_description("the agency", "the minister")
    assert stance._fits_description("the agency", "the space agency")
    assert stance._fits_description("he", "Lula")
    assert stance._fits_description("the statement", "the minister")


def test_a_source_speaks_as_a_person_unless_it_is_the_bodys_own_name():
    import spacy
    from spacy.tokens import Span

    nlp = spacy.blank("en")
    doc = nlp("The Pentagon said no. A Pentagon official said yes.")
    doc.ents = [Span(doc, 1, 2, "ORG"), Span(doc, 6, 7, "ORG")]
    for token, head in zip(doc, [1, 2, 2, 2, 2, 7, 7, 8, 8, 8, 8], strict=True):
        token.head = doc[head]
    for i in (1, 7):
        doc[i].pos_ = "PROPN" if i == 1 else "NOUN"
    mentions = [stance._Mention(4, 12, "ORG", "Pentagon", None),
                stance._Mention(24, 32, "ORG", "Pentagon", None)]
    assert not stance._speaks_as_person(doc, (0, 12), mentions)  # "The Pentagon"
    assert stance._speaks_as_person(doc, (22, 41), mentions)      # "A Pentagon official"
    assert not stance._speaks_as_person(doc, None, mentions)


def test_reported_past_ends_at_a_root_that_is_no_verb():
    """A content word whose ancestors hold no verb (a headline-like fragment): the climb
    stops at the root (it never did with ``head is not verb``; a Reuters story hung)."""
    import spacy
    from spacy.tokens import Doc

    from analystkit.stance import _reported_past

    doc = Doc(spacy.blank("en").vocab, words=["Heavy", "fighting", "near", "Basra"],
              heads=[1, 1, 1, 2], deps=["amod", "ROOT", "prep", "pobj"],
              pos=["ADJ", "NOUN", "ADP", "PROPN"], tags=["JJ", "NN", "IN", "NNP"])
    assert _reported_past(doc[0]) is False
