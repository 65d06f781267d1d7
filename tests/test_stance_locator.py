"""The fast sentence lookup of stance.mention_polarity gives what _sentence_item gives."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from analystkit.stance import _sentence_item, _SentenceLocator

NLP = spacy.blank("en")
WORDS = ["Ann", "met", "Bo", ".", "Then", "Cy", "left", "Oslo", "!", "Dee", "won"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25), st.data())
def test_locator_equals_sentence_item(words, data):
    spaces = [True] * len(words)
    starts = [w in {".", "!"} for w in words]
    doc = Doc(NLP.vocab, words=words, spaces=spaces,
              sent_starts=[True] + [starts[i - 1] for i in range(1, len(words))])
    locate = _SentenceLocator({"d": doc})
    for _ in range(10):
        start = data.draw(st.integers(0, len(doc.text)))
        end = data.draw(st.integers(start, len(doc.text)))
        expected = _sentence_item(doc, start, end)
        assert locate("d", start, end) == expected
    for token in doc:  # every token as a mention
        assert locate("d", token.idx, token.idx + len(token)) == _sentence_item(
            doc, token.idx, token.idx + len(token))
