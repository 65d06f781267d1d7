"""Tests for analystkit.attribution (who says what). All sentences are invented."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

import analystkit as ak
from analystkit.attribution import Attribution, find_attributions, find_quotes, load_cues


@pytest.fixture(scope="module")
def nlp():
    try:
        return ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English spaCy model not installed")


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def _texts(doc: Doc, att: Attribution) -> tuple[str | None, str, str]:
    source = doc.text[slice(*att.source)] if att.source else None
    return source, doc.text[slice(*att.cue)], doc.text[slice(*att.content)]


def _hand_doc(vocab, rows: list[tuple[str, bool, int, str, str, str]]) -> Doc:
    """A parsed Doc from ``(word, space_after, head, dep, pos, lemma)`` rows."""
    words, spaces, heads, deps, pos, lemmas = (list(col) for col in zip(*rows, strict=True))
    starts = [True] + [False] * (len(words) - 1)
    return Doc(vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos,
               lemmas=lemmas, sent_starts=starts)


def _one(atts: list[Attribution], cue: str, doc: Doc) -> Attribution:
    found = [a for a in atts if doc.text[slice(*a.cue)] == cue]
    assert found, [_texts(doc, a) for a in atts]
    return found[0]


# --------------------------------------------------------------------------- lexicon, quotes


def test_lexicon_has_classes():
    cues = load_cues()
    assert {"say", "tell", "warn", "threaten", "confirm", "add"} <= cues.speech
    assert "think" in cues.belief and "criticize" in cues.objects
    assert "tell" in cues.addressee and "according to" in cues.phrases
    assert "out" in cues.phrasal["point"]


def test_find_quotes_curly_straight_and_apostrophes():
    text = "Clinton's aide said \u201cno\u201d in the '90s and \"yes\" later."
    got = [text[s:e] for s, e, _ in find_quotes(text)]
    assert got == ["\u201cno\u201d", '"yes"']


def test_find_quotes_unclosed_ends_at_paragraph():
    text = '"First part of a long quote.\n\n"Second part," she said.'
    quotes = find_quotes(text)
    assert [text[s:e] for s, e, _ in quotes] == ['"First part of a long quote.',
                                                 '"Second part,"']
    assert [closed for *_, closed in quotes] == [False, True]


def test_find_quotes_doubled_apostrophes():
    text = "''We will see,'' he said."
    assert [text[s:e] for s, e, _ in find_quotes(text)] == ["''We will see,''"]


# --------------------------------------------------------------------------- hand-built Docs


def test_hand_direct_quote_cue_after(blank):
    doc = _hand_doc(blank.vocab, [
        ('"', False, 7, "punct", "PUNCT", '"'),
        ("We", True, 3, "nsubj", "PRON", "we"),
        ("will", True, 3, "aux", "AUX", "will"),
        ("win", False, 7, "ccomp", "VERB", "win"),
        (",", False, 3, "punct", "PUNCT", ","),
        ('"', True, 7, "punct", "PUNCT", '"'),
        ("she", True, 7, "nsubj", "PRON", "she"),
        ("said", False, 7, "ROOT", "VERB", "say"),
        (".", False, 7, "punct", "PUNCT", "."),
    ])
    (att,) = find_attributions(doc)
    assert _texts(doc, att) == ("she", "said", '"We will win,"')
    assert att.kind == "direct" and att.cue_lemma == "say"


def test_hand_indirect_with_that(blank):
    doc = _hand_doc(blank.vocab, [
        ("The", True, 1, "det", "DET", "the"),
        ("ministry", True, 2, "nsubj", "NOUN", "ministry"),
        ("said", True, 2, "ROOT", "VERB", "say"),
        ("that", True, 5, "mark", "SCONJ", "that"),
        ("exports", True, 5, "nsubj", "NOUN", "export"),
        ("rose", False, 2, "ccomp", "VERB", "rise"),
        (".", False, 2, "punct", "PUNCT", "."),
    ])
    (att,) = find_attributions(doc)
    assert _texts(doc, att) == ("The ministry", "said", "that exports rose")
    assert att.kind == "indirect"


def test_hand_passive_agent_is_source(blank):
    doc = _hand_doc(blank.vocab, [
        ("It", True, 2, "nsubjpass", "PRON", "it"),
        ("was", True, 2, "auxpass", "AUX", "be"),
        ("announced", True, 2, "ROOT", "VERB", "announce"),
        ("by", True, 2, "agent", "ADP", "by"),
        ("the", True, 5, "det", "DET", "the"),
        ("ministry", True, 3, "pobj", "NOUN", "ministry"),
        ("that", True, 8, "mark", "SCONJ", "that"),
        ("talks", True, 8, "nsubj", "NOUN", "talk"),
        ("failed", False, 2, "ccomp", "VERB", "fail"),
        (".", False, 2, "punct", "PUNCT", "."),
    ])
    (att,) = find_attributions(doc)
    assert _texts(doc, att) == ("the ministry", "announced", "that talks failed")


def test_hand_sourceless_report(blank):
    doc = _hand_doc(blank.vocab, [
        ("It", True, 2, "nsubjpass", "PRON", "it"),
        ("was", True, 2, "auxpass", "AUX", "be"),
        ("reported", True, 2, "ROOT", "VERB", "report"),
        ("that", True, 5, "mark", "SCONJ", "that"),
        ("prices", True, 5, "nsubj", "NOUN", "price"),
        ("fell", False, 2, "ccomp", "VERB", "fall"),
        (".", False, 2, "punct", "PUNCT", "."),
    ])
    (att,) = find_attributions(doc)
    assert _texts(doc, att) == (None, "reported", "that prices fell")


def test_hand_colon_after_name_without_parse(blank):
    doc = blank('Minister: "We will win."')
    (att,) = find_attributions(doc)
    assert _texts(doc, att) == ("Minister", ":", '"We will win."')
    assert att.cue_lemma == ":" and att.kind == "direct"


def test_empty_and_quote_only_docs(blank):
    assert find_attributions(blank("")) == []
    for text in ['"', "\u201c\u201d", "'", '" " "', "\n\n\"\n"]:
        for att in find_attributions(blank(text)):
            assert 0 <= att.content[0] < att.content[1] <= len(text)


# --------------------------------------------------------------------------- model-parsed


@pytest.mark.model
def test_model_direct_quote_cue_after(nlp):
    doc = nlp('"The harvest will be late this year," the farmer said.')
    att = _one(find_attributions(doc), "said", doc)
    source, _, content = _texts(doc, att)
    assert source == "the farmer"
    assert content.startswith('"The harvest') and content.endswith('year,"')
    assert att.kind == "direct"


@pytest.mark.model
def test_model_split_quote_joined(nlp):
    doc = nlp('"We tried everything," she said, "but the bridge was already closed."')
    att = _one(find_attributions(doc), "said", doc)
    assert doc.text[slice(*att.content)] == ('"We tried everything," she said, '
                                              '"but the bridge was already closed."')
    assert doc.text[slice(*att.source)] == "she"


@pytest.mark.model
def test_model_indirect_that(nlp):
    doc = nlp("The mayor said that the new park would open in May.")
    att = _one(find_attributions(doc), "said", doc)
    assert _texts(doc, att) == ("The mayor", "said", "that the new park would open in May")
    assert att.kind == "indirect"


@pytest.mark.model
def test_model_according_to(nlp):
    doc = nlp("According to the port authority, three ships were delayed by the storm.")
    att = _one(find_attributions(doc), "According to", doc)
    source, _, content = _texts(doc, att)
    assert source == "the port authority"
    assert content == "three ships were delayed by the storm"
    assert att.cue_lemma == "according to"


@pytest.mark.model
def test_model_passive_by(nlp):
    doc = nlp("It was announced by the ministry that the border will reopen.")
    att = _one(find_attributions(doc), "announced", doc)
    assert doc.text[slice(*att.source)] == "the ministry"
    assert "the border will reopen" in doc.text[slice(*att.content)]


@pytest.mark.model
def test_model_colon_after_name(nlp):
    doc = nlp('Minister: "We will win."')
    att = _one(find_attributions(doc), ":", doc)
    assert _texts(doc, att) == ("Minister", ":", '"We will win."')


@pytest.mark.model
def test_model_warned_and_told(nlp):
    doc = nlp("The union warned that workers would strike. Its leader told reporters the "
              "talks had collapsed.")
    atts = find_attributions(doc)
    warned = _one(atts, "warned", doc)
    told = _one(atts, "told", doc)
    assert _texts(doc, warned) == ("The union", "warned", "that workers would strike")
    assert doc.text[slice(*told.content)] == "the talks had collapsed"
    assert doc.text[slice(*told.source)] == "Its leader"


@pytest.mark.model
def test_model_mixed_quote(nlp):
    doc = nlp('The senator said the plan was "a gift to lobbyists" and would fail.')
    att = _one(find_attributions(doc), "said", doc)
    assert att.kind == "mixed"


@pytest.mark.model
def test_model_odd_quotes_and_apostrophes(nlp):
    text = ("Clinton's aides said the '90s were different. \"He left early, the manager "
            "said.\n\n\u201cNobody knew,\" she added, \u201cwhat would happen.")
    doc = nlp(text)
    atts = find_attributions(doc)
    assert atts
    for att in atts:
        for span in (att.source, att.cue, att.content):
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(text)


# --------------------------------------------------------------------------- robustness

_ALPHABET = st.sampled_from(list("ab said:,.'\"\u201c\u201d\u2018\u2019`\n ") +
                            ["He said", " told ", "according to ", "Minister: ", "''", "'s"])


def _check_bounds(doc: Doc) -> None:
    n = len(doc.text)
    for att in find_attributions(doc):
        assert att.kind in ("direct", "mixed", "indirect")
        for span in (att.source, att.cue, att.content):
            if span is not None:
                assert 0 <= span[0] < span[1] <= n


_BLANK = spacy.blank("en")


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_never_raises_blank(text):
    _check_bounds(_BLANK(text))


@pytest.mark.model
@settings(max_examples=25, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_never_raises_model(text):
    try:
        nlp = ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English spaCy model not installed")
    _check_bounds(nlp(text))
