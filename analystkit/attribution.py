"""Who says what: attributions (source, cue, content) in a parsed ``Doc``.

An *attribution* is a reported statement: direct speech (``"We will win," she said.``),
mixed speech (``He called the plan "a disaster".``) or indirect speech (``The ministry said
that exports rose.``). :func:`find_attributions` returns, for each one, three character
spans into ``doc.text`` (end exclusive):

* ``source``: who says it ("the ministry", "he", "Vilsack, a former Iowa governor"); ``None``
  when the text names nobody ("It was reported that ...");
* ``cue``: the word(s) that mark the report: a verb from the cue lexicon
  (``analystkit/data/cues.txt``: "said", "warned", "told", "pointed out" ...), the phrase
  "according to", or a colon after a name (``Minister: "We will win."``);
* ``content``: what is said. Conventions follow the PolNeAR corpus: indirect content starts
  at "that" (included) and stops before the sentence's final period; direct content keeps
  its quotation marks; a quote split by its cue (``"A," he said, "B."``) and quoted
  sentences that continue it in the same paragraph form one content from the start of A to
  the end of B (so the span contains the cue and the source).

Not statements (checked on real web news, ``bench/field_statements.py``): headlines,
captions and labels (:func:`headline_lines`; ``headlines=True`` keeps them), e-mail headers,
salutations, datelines and field labels before a colon ("Launch site: ..."), passives
without an agent ("is expected to", "is thought to be"), cues in a ``to`` infinitive that
report no act ("declined to comment"; "went on to say" is kept), cues under would / could /
might, gerunds nobody performs ("their way of asserting dominance"), beliefs about open
questions ("I don't know if"), stance verbs with armed actors or physical targets
("insurgents attacked a police station"), wishes or acts with a ``to`` complement
("wants to be there", "agreed to pay", "wants the government to agree"), negated cues
("have not said"), beliefs and stances nested in another cue's clause ("said they
consider"), opinions in the past ("I thought it was settled"), "seem"/"appear" on their
own ("appeared to have blocked"), records and data that "show" or "suggest" (a study or
poll that finds stays a source), participles as modifiers ("Senate-confirmed", "a report
called X") and "call" as naming ("what we have called feature packs"). Sources: a
relative pronoun or participle stands for its antecedent ("the minister, who said"; "a
statement saying"), and a source never reaches across a line break, a byline in brackets
or a dateline.

Method: rules over spaCy's dependency parse (cue verb -> clausal complement / interrupted
clause / adjacent quotation; subject, passive agent or "according to" object -> source)
plus quotation-mark logic that pairs curly, straight and doubled (``''``) quotes per
paragraph, tolerating odd counts, apostrophes ("Clinton's", "'90s") and quotes continued
over paragraphs. The rules use ``token.dep_``, ``token.head``, ``token.lemma_`` and
``token.pos_``; on a Doc without a parse only colon and quote-adjacent cues are found.
The cost is one pass over the tokens (well under 5% of the model's annotation time).

Example:
    >>> import analystkit as ak                                # doctest: +SKIP
    >>> nlp = ak.load_model()                                  # doctest: +SKIP
    >>> doc = nlp('"We will win," the minister said.')         # doctest: +SKIP
    >>> [doc.text[slice(*a.source)] for a in find_attributions(doc)]  # doctest: +SKIP
    ['the minister']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token

from .pipeline import SentenceIndex
from .resources import cached, data_path

__all__ = [
    "Attribution",
    "CueLexicon",
    "find_attributions",
    "find_quotes",
    "headline_lines",
    "load_cues",
]

_CUES_PATH = data_path("cues.txt")

# Quotation marks. Straight and doubled-apostrophe marks open or close by context.
_OPENERS = frozenset("“„«")
_CLOSERS = frozenset("”»")
_QUOTE_RE = re.compile(r"''|``|[\"“”„«»]")
_QUOTE_CHARS = frozenset("\"“”„«»'`")
_PARA_RE = re.compile(r"\n[ \t\u00a0]*\n|\n[ \t\u00a0]+")

_PUNCT_EDGE = frozenset(",;:-–—()[]")
_XCOMP_SPEECH = frozenset({"vow", "pledge", "promise", "threaten", "swear", "propose",
                           "demand", "claim", "call", "guarantee"})
"""Speech verbs whose ``to`` complement is the content ("vowed to fight")."""
_OPEN = frozenset({"if", "whether", "what", "why", "how", "who", "where", "when"})
"""Words opening an open complement ("know whether ..."): a belief about it claims nothing."""
_FUTURE = frozenset({"will", "'ll", "wo", "shall"})
"""Modals that announce an act ("will discuss"), unlike would/could/might/should."""
_QUESTIONER = frozenset({"q", "question", "questioner", "reporter", "audience"})
"""Transcript labels of whoever asks: a question is not a statement."""
_SALUTATIONS = frozenset({"dear"})
"""Words opening a letter's salutation, which ends in a colon but names the addressee."""
_OPEN_ENDINGS = frozenset({"the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "with",
                           "from", "and", "or", "but", "that", "as", "its", "his", "her",
                           "their", "our", "this"})
"""Last words of a line cut mid-sentence; a headline never ends with them."""
_WRAP_WORDS = 6
"""Lines of at least this many words decide whether a text is hard-wrapped."""
_MAX_HEADLINE_WORDS = 25
"""Longest line (words) that can be a headline, caption or label."""
_RELATIVE = frozenset({"who", "whom", "which", "that", "whose"})
_MAX_COLON_SOURCE = 6
"""Longest speaker label before a colon (tokens): ``Senate Majority Leader Harry Reid:``."""


@dataclass(frozen=True)
class Attribution:
    """One reported statement; spans are ``(start, end)`` character offsets into ``doc.text``.

    Attributes:
        source: The speaker's span, ``None`` if the text names no speaker.
        cue: The cue's span ("said", "according to", ":").
        content: What is reported (for a split quote, first to last quoted piece).
        kind: ``"direct"`` (the content is a quotation), ``"mixed"`` (it contains one) or
            ``"indirect"``.
        cue_lemma: The cue's lexicon entry: ``"say"``, ``"point out"``, ``"according to"``,
            ``":"``.
    """

    source: tuple[int, int] | None
    cue: tuple[int, int]
    content: tuple[int, int]
    kind: str
    cue_lemma: str


@dataclass(frozen=True)
class CueLexicon:
    """Cue verbs and phrases read from ``analystkit/data/cues.txt``.

    Attributes:
        speech: Verb lemmas of saying (a cue with a clause, a quote, an interrupted clause or
            an object).
        belief: Verb lemmas of thinking/wanting (a cue only with a clausal or ``to``
            complement).
        phrasal: ``{verb lemma: {particle or preposition}}`` for "point out", "talk about"
            ...; the preposition's object is the content when there is no clause.
        phrases: Fixed non-verb phrases ("according to").
        objects: Verb lemmas of stance whose object is the content ("criticized the plan",
            "endorsed Clinton"); no quotation or interrupted-clause reading.
        addressee: Speech verbs whose direct object is the hearer ("told reporters"), so the
            object is never the content.
        clause_only: Belief verbs that are cues only with a clause ("agreed that ...",
            "found that ..."): their ``to`` complement is an act or a wish ("agreed to pay",
            "wants to be there"), not a statement.
        physical: Nouns of armed actors and physical targets: as the subject or object of
            a stance verb they make it a physical act ("insurgents attacked a police
            station", "troops backed by jets"), not a statement.
        quote_only: Speech verbs that are cues only next to a quotation or inside the
            clause they report ("'...,' he continued"); with an object or a clause they
            mean something else ("continuing his visits").
        no_object: Speech verbs whose direct object is never the content ("added brands";
            "added that ..." is a cue).
        aspect: Verbs through which a cue in a ``to`` infinitive still reports an act
            ("went on to say", "continued to insist"); any other verb over an infinitive
            cue ("declined to comment", "plans to announce") means no statement was made.
        opinion: Belief verbs that state a view only in the present ("I think that");
            in the past tense they narrate a state of mind ("I thought it was settled").
        desire: Verbs of wanting, cues only with a finite clause ("hopes they win"), never
            with an infinitive, an object or an "X to Y" clause ("wants him to go").
        evidential: Speech verbs of showing ("show", "suggest"): no statement when their
            subject is an ``evidence`` noun.
        evidence: Nouns of records, data and images ("documents", "figures"): as the
            subject of an evidential verb they are evidence the writer reads, not a
            speaker.
        not_particles: ``{verb lemma: {particle}}`` of senses that are no cue ("call off",
            "find out").
    """

    speech: frozenset[str]
    belief: frozenset[str]
    phrasal: dict[str, frozenset[str]]
    phrases: frozenset[str]
    objects: frozenset[str] = frozenset()
    addressee: frozenset[str] = frozenset()
    aspect: frozenset[str] = frozenset()
    clause_only: frozenset[str] = frozenset()
    physical: frozenset[str] = frozenset()
    quote_only: frozenset[str] = frozenset()
    no_object: frozenset[str] = frozenset()
    opinion: frozenset[str] = frozenset()
    desire: frozenset[str] = frozenset()
    evidential: frozenset[str] = frozenset()
    evidence: frozenset[str] = frozenset()
    not_particles: dict[str, frozenset[str]] = field(default_factory=dict)


def load_cues(path: str | Path | None = None) -> CueLexicon:
    """Read a cue lexicon (format described at the top of ``analystkit/data/cues.txt``).

    Args:
        path: A lexicon file; default the shipped ``analystkit/data/cues.txt``.

    Returns:
        The :class:`CueLexicon`. A lemma listed both as speech and as belief is speech.

    Example:
        >>> cues = load_cues()
        >>> "say" in cues.speech, "think" in cues.belief, "according to" in cues.phrases
        (True, True, True)
    """
    path = Path(path) if path is not None else _CUES_PATH
    return cached("cues", (path,), lambda: _read_cues(path))


_VERB_CLASSES = {
    # class in cues.txt -> the CueLexicon sets a plain verb of that class goes into
    "speech": ("speech",), "belief": ("belief",), "clause": ("belief", "clause_only"),
    "opinion": ("belief", "opinion"), "desire": ("belief", "clause_only", "desire"),
    "object": ("objects",), "clausal": ("speech", "no_object"),
    "quote": ("speech", "quote_only"), "addressee": ("speech", "addressee"),
    "evidential": ("speech", "evidential"),
}
_WORD_CLASSES = {"phrase": "phrases", "aspect": "aspect", "physical": "physical",
                 "evidence": "evidence"}
"""Classes whose entries are kept whole (phrases, verb + particle aspects, nouns)."""


def _read_cues(path: Path) -> CueLexicon:
    sets: dict[str, set[str]] = {name: set() for classes in _VERB_CLASSES.values()
                                 for name in classes}
    sets.update({name: set() for name in _WORD_CLASSES.values()})
    phrasal: dict[str, set[str]] = {}
    not_particles: dict[str, set[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        entry, _, cls = (part.strip() for part in line.partition("|"))
        entry = " ".join(entry.lower().split())
        cls = cls.lower() or "speech"
        if cls in _WORD_CLASSES:
            sets[_WORD_CLASSES[cls]].add(entry)
            continue
        verb, _, particle = entry.partition(" ")
        if particle:
            target = not_particles if cls == "not" else phrasal
            target.setdefault(verb, set()).add(particle)
            continue
        for name in _VERB_CLASSES.get(cls, ("speech",)):
            sets[name].add(verb)
    speech, objects = sets["speech"], sets["objects"]
    kept = {name: frozenset(values) for name, values in sets.items()}
    kept.update(belief=frozenset(sets["belief"] - speech - objects),
                objects=frozenset(objects - speech))
    return CueLexicon(phrasal={k: frozenset(v) for k, v in phrasal.items()},
                      not_particles={k: frozenset(v) for k, v in not_particles.items()},
                      **kept)


# --------------------------------------------------------------------------- quotations


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of paragraphs: blank lines or indented lines separate them; a text
    with neither uses single line breaks."""
    breaks = [m.span() for m in _PARA_RE.finditer(text)]
    if not breaks and "\n" in text:
        breaks = [m.span() for m in re.finditer(r"\n", text)]
    spans, pos = [], 0
    for start, end in breaks:
        spans.append((pos, start))
        pos = end
    spans.append((pos, len(text)))
    return [span for span in spans if span[1] > span[0]]


def _mark_role(text: str, start: int, end: int) -> str:
    """``"open"``, ``"close"`` or ``"either"`` for the quotation mark ``text[start:end]``."""
    mark = text[start:end]
    if mark in _OPENERS or mark == "``":
        return "open"
    if mark in _CLOSERS:
        return "close"
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    space_before = before.isspace() or before in "([{—–-/"
    space_after = after.isspace() or after in ".,;:!?)]}—–-/"
    if space_before and not space_after:
        return "open"
    if space_after and not space_before:
        return "close"
    return "either"


def find_quotes(text: str) -> list[tuple[int, int, bool]]:
    """Quotations in ``text`` as ``(start, end, closed)`` character spans, marks included.

    Marks are paired within a paragraph: curly marks by shape, straight ``"`` and doubled
    ``''`` by the characters around them. An unclosed quotation ends at its paragraph's end
    (English continues a quotation over paragraphs by re-opening it); a stray closing mark is
    ignored. Single quotes are never paired (apostrophes: "Clinton's", "'90s").

    Args:
        text: Any string.

    Returns:
        Non-overlapping spans in text order; ``closed`` is False for a quotation cut by the
        end of its paragraph.

    Example:
        >>> text = 'He said "yes." Then: “no'
        >>> [(text[s:e], closed) for s, e, closed in find_quotes(text)]
        [('"yes."', True), ('“no', False)]
    """
    quotes: list[tuple[int, int, bool]] = []
    for p_start, p_end in _paragraphs(text):
        open_at: int | None = None
        for match in _QUOTE_RE.finditer(text, p_start, p_end):
            start, end = match.span()
            role = _mark_role(text, start, end)
            if open_at is None:
                if role != "close":
                    open_at = start
                continue
            if role == "open":
                # A new opening mark while a quotation is open: the last one was not closed.
                quotes.append((open_at, _rstrip(text, open_at, start), False))
                open_at = start
            else:
                quotes.append((open_at, end, True))
                open_at = None
        if open_at is not None:
            quotes.append((open_at, _rstrip(text, open_at, p_end), False))
    return [q for q in quotes if q[1] - q[0] > 1]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


# --------------------------------------------------------------------------- helpers


def _is_punct(token: Token) -> bool:
    return token.is_punct or token.is_space or token.text in _QUOTE_CHARS


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.lower_).lower()


class _Context:
    """Per-Doc indexes shared by the rules."""

    def __init__(self, doc: Doc, cues: CueLexicon) -> None:
        self.doc = doc
        self.cues = cues
        self.text = doc.text
        self.parsed = doc.has_annotation("DEP")
        n = len(doc)
        self.quote_of = [-1] * n  # token index -> quote number (or -1)
        self.quotes: list[tuple[int, int, int, int]] = []  # char start/end, token start/end
        for c_start, c_end, _closed in find_quotes(self.text):
            span = doc.char_span(c_start, c_end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            number = len(self.quotes)
            self.quotes.append((c_start, c_end, span.start, span.end))
            for i in range(span.start, span.end):
                if self.quote_of[i] < 0:
                    self.quote_of[i] = number
        self.quote_starts = [q[2] for q in self.quotes]  # token starts, for bisect
        self.quote_ends = [q[3] for q in self.quotes]
        self.para_of = [0] * n
        paragraphs = _paragraphs(self.text)
        p = 0
        for token in doc:
            while p + 1 < len(paragraphs) and token.idx >= paragraphs[p + 1][0]:
                p += 1
            self.para_of[token.i] = p
        sentences = SentenceIndex(doc)  # no boundaries: one sentence
        self.sent_of = sentences.of_token.tolist() if n else []
        self.sents: list[tuple[int, int]] = [sentences.bounds(k) for k in range(len(sentences))]
        if not self.sents:
            self.sents = [(0, n)]

    def chars(self, start: int, end: int) -> tuple[int, int]:
        """Character span of tokens ``[start, end)``."""
        doc = self.doc
        return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)

    def trim(self, start: int, end: int, *, keep_quotes: bool = False) -> tuple[int, int]:
        """Drop edge punctuation and spaces from token range ``[start, end)``."""
        doc = self.doc
        while start < end and (doc[start].is_space or doc[start].text in _PUNCT_EDGE
                               or (not keep_quotes and doc[start].text in _QUOTE_CHARS)):
            start += 1
        while end > start and (doc[end - 1].is_space or doc[end - 1].text in _PUNCT_EDGE
                               or doc[end - 1].text in {".", "!", "?"} and not keep_quotes
                               or (not keep_quotes and doc[end - 1].text in _QUOTE_CHARS)):
            end -= 1
        return start, end


def _subtree_range(token: Token, *, exclude: Token | None = None) -> tuple[int, int]:
    """Token range of ``token``'s subtree; with ``exclude``, the part on the side of
    ``token`` away from ``exclude``'s subtree (when ``exclude`` is at an edge)."""
    start, end = token.left_edge.i, token.right_edge.i + 1
    if exclude is not None:
        ex_start, ex_end = exclude.left_edge.i, exclude.right_edge.i + 1
        if ex_start <= start < ex_end:
            start = ex_end
        elif ex_start < end <= ex_end:
            end = ex_start
        elif start <= ex_start and ex_end <= end:
            if token.i < ex_start:
                end = ex_start
            else:
                start = ex_end
    return start, end


def _is_relative(token: Token) -> bool:
    """A relative pronoun ("who", "which", "that" introducing a relative clause)."""
    return token.tag_ in ("WDT", "WP", "WP$") or (
        token.lower_ in _RELATIVE and token.head.dep_ == "relcl")


def _source_of(verb: Token) -> Token | None:
    """The speaker token of ``verb``: passive agent, else subject, else (for a verb without
    one: "..., adding that", "and added") the subject of the verb it hangs from. A relative
    pronoun stands for its antecedent ("the minister, who said" -> "minister")."""
    current: Token | None = verb
    for _ in range(3):
        if current is None:
            return None
        agent, subj = _agent_and_subject(current)
        if any(found is not None and _relative_source(found) for found in (agent, subj)):
            # The relative clause hangs from its antecedent; no antecedent, no source.
            return current.head if current.dep_ == "relcl" and current.head.i != current.i \
                else None
        if agent is not None or subj is not None:
            return agent if agent is not None else subj
        if any(c.dep_ in ("nsubjpass", "expl") for c in current.children):
            return None
        if current.i == verb.i:  # Token objects are made anew on each access: compare .i
            # A name the parser attached loosely right next to the cue ('"...," Norko said'
            # with "Norko" as advmod) is still its subject.
            near = next((c for c in verb.children if abs(c.i - verb.i) == 1
                         and c.dep_ in ("advmod", "npadvmod", "dep", "nmod")
                         and c.pos_ in ("PROPN", "PRON")), None)
            if near is not None:
                return near
        step = _speaker_step(current)
        if step is None or step[1]:
            return step[0] if step is not None else None
        current = step[0]
    return None


def _agent_and_subject(verb: Token) -> tuple[Token | None, Token | None]:
    agent = subj = None
    for child in verb.children:
        if child.dep_ == "agent":
            agent = next((g for g in child.children if g.dep_ == "pobj"), None)
        elif child.dep_ in ("nsubj", "csubj") and subj is None:
            subj = child
    return agent, subj


def _relative_source(found: Token) -> bool:
    """A relative pronoun, or a phrase ending in one ("neither of whom agrees")."""
    return _is_relative(found) or any(
        _is_relative(g) for c in found.children if c.dep_ == "prep"
        for g in c.children if g.dep_ == "pobj")


def _speaker_step(current: Token) -> tuple[Token, bool] | None:
    """Where a verb without a subject finds its speaker: ``(token, True)`` when the token
    is the speaker ("a statement that says": the noun speaks), ``(verb, False)`` for a verb
    to look at next (the verb it is conjoined to or hangs from), ``None`` for nobody."""
    if current.dep_ in ("conj", "advcl", "xcomp") and current.head.i != current.i:
        return current.head, False
    if current.dep_ == "pcomp" and current.head.dep_ == "prep":
        return current.head.head, False  # "introduced the video by saying": the introducer
    if current.head.i != current.i and (
            current.dep_ == "relcl" or current.dep_ == "acl" and current.tag_ == "VBG"
            and current.head.pos_ in ("NOUN", "PROPN")):
        return current.head, True  # "an order telling them to stop": the noun speaks
    return None


# --------------------------------------------------------------------------- rules


def _cue_entry(token: Token, cues: CueLexicon) -> tuple[str, str] | None:
    """``(lexicon entry, class)`` when ``token`` is a cue verb."""
    if token.pos_ not in ("VERB", "AUX", "") and token.tag_[:2] != "VB":
        return None
    lemma = _lemma(token)
    other = cues.not_particles.get(lemma, frozenset())
    if any(c.dep_ in ("prt", "advmod") and c.i > token.i and c.lower_ in other
           for c in token.children):
        return None  # "called off the game", "called her back", "found out that"
    particles = cues.phrasal.get(lemma)
    if particles:
        for child in token.children:
            if child.dep_ in ("prt", "prep") and child.lower_ in particles and child.i > token.i:
                return f"{lemma} {child.lower_}", "phrasal"
    if lemma in cues.speech:
        return lemma, "speech"
    if lemma in cues.objects:
        return lemma, "object"
    if lemma in cues.belief:
        return lemma, "belief"
    return None


def _unrealised(token: Token, cues: CueLexicon) -> bool:
    """A cue verb in a ``to`` infinitive that reports no act: wanted, planned, refused or
    possible ("declined to comment", "invited Boeing to respond to questions", "it is
    possible to estimate"). An aspect verb keeps the act ("went on to say", "continued to
    insist": the ``aspect`` class of the lexicon)."""
    if token.dep_ == "ROOT" or not any(c.dep_ == "aux" and c.tag_ == "TO"
                                       for c in token.children):
        return False
    head = token.head
    if _lemma(head) in cues.aspect:
        return False
    particles = {f"{_lemma(head)} {c.lower_}" for c in head.children if c.dep_ == "prt"}
    return not particles & cues.aspect


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _finite(clause: Token) -> bool:
    """A clause with a subject and a tensed verb of its own: "(hopes) they win", "(wishes)
    that it would stop", not "(wants) the government to agree" or the small clause
    "(wanted) the school shut down"."""
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children):
        return False
    return clause.tag_ in _FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in clause.children)


def _hypothetical(verb: Token) -> bool:
    """A cue under a modal of possibility or condition ("she would blast us", "they could
    say", "he might argue"): a possible statement, not one that was made. In PolNeAR train
    such cues are gold 32-39% of the time. "will" (an announced act) is kept."""
    return any(child.tag_ == "MD" and child.lower_ not in _FUTURE for child in verb.children)


def _negated(verb: Token) -> bool:
    """A cue with a negation ("did not say", "never mentioned", "doesn't think"): no
    statement was made (PolNeAR train: negated cues are gold 46% of the time, negated
    think/believe 0-21%). "not only said" is kept."""
    for child in verb.children:
        if child.dep_ == "neg" or child.lower_ == "never" and child.dep_ == "advmod":
            following = child.doc[child.i + 1] if child.i + 1 < len(child.doc) else None
            if following is None or following.lower_ != "only":
                return True
    return False


def _nested(verb: Token, cls: str, cues: CueLexicon) -> bool:
    """A belief, stance or phrasal cue in the clause another cue reports ("officials said
    they consider it a sign", "told the committee that they supported it"): the outer
    statement already carries it (PolNeAR train: gold in 4-12% of such cues). A speech
    verb there is a relayed statement with a speaker of its own and is kept."""
    return cls != "speech" and verb.dep_ == "ccomp" and verb.head.i != verb.i \
        and _cue_entry(verb.head, cues) is not None


def _past_opinion(verb: Token, cues: CueLexicon) -> bool:
    """An opinion verb in the past ("I thought the issue was resolved", "had believed"):
    a narrated state of mind, not a statement (the ``opinion`` class of the lexicon)."""
    if _lemma(verb) not in cues.opinion:
        return False
    return verb.tag_ == "VBD" or verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and _lemma(c) == "have" for c in verb.children)


def _evidence_subject(verb: Token, cues: CueLexicon) -> bool:
    """An evidential verb whose subject is a record, data or an image ("Boeing documents
    suggest", "live data show"): the writer reads evidence; nobody states anything."""
    return _lemma(verb) in cues.evidential and any(
        c.dep_ == "nsubj" and _lemma(c) in cues.evidence for c in verb.children)


def _modifier(verb: Token) -> bool:
    """A participle used as a modifier: "the Senate-confirmed appointees", "self-described
    conservatives", "a report called X", "the merger, expected to close in March"
    (PolNeAR train: gold in 11-28% of such cues). A participle with its agent ("a plan
    described by aides as ...") is kept."""
    if verb.dep_ == "amod":
        return True
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and not any(
            c.dep_ == "agent" for c in verb.children):
        return True
    doc = verb.doc
    # Joined by a hyphen to the word before ("Senate-confirmed", "so-called"), whatever
    # the parser made of it.
    return verb.i >= 2 and doc[verb.i - 1].text in ("-", "‐") \
        and not doc[verb.i - 1].whitespace_ and not doc[verb.i - 2].whitespace_


def _naming(verb: Token) -> bool:
    """ "call" as naming, not labelling: a bare name as predicate ("oprd", or a second
    object) and no object of its own but a relative pronoun ("capabilities that we have
    called feature packs", "the package that we call Indigo"). A described predicate is a
    judgement and stays a statement ("called him a liar", "a picture that the prosecutor
    called the most telling of the trial")."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    relative = [c for c in objects if _is_relative(c) or c.tag_ in ("WDT", "WP")]
    if objects and not relative:
        return False  # an object of its own: "called him a liar"
    names = [c for c in verb.children if c.dep_ == "oprd"] or [
        c for c in objects if c not in relative]
    return bool(names) and all(name.pos_ in ("NOUN", "PROPN") and not any(
        c.dep_ in ("det", "amod", "poss", "nummod") for c in name.children) for name in names)


def _no_statement(verb: Token, cls: str, cues: CueLexicon) -> bool:
    """Whether cue verb ``verb`` (of lexicon class ``cls``) reports no statement: an act not
    done, a possible act, a physical act, a negated, nested or past-opinion cue, evidence
    read by the writer, a participle modifier or a naming."""
    return (_unrealised(verb, cues) or _hypothetical(verb)
            or cls == "object" and _physical(verb, cues) or _negated(verb)
            or _nested(verb, cls, cues) or _past_opinion(verb, cues)
            or _evidence_subject(verb, cues) or _modifier(verb) or _naming(verb))


def _physical(verb: Token, cues: CueLexicon) -> bool:
    """A stance verb used for a physical act: its subject, agent or object is an armed
    actor or a physical target ("insurgents attacked a police station")."""
    for child in verb.children:
        if child.dep_ == "agent":
            child = next((g for g in child.children if g.dep_ == "pobj"), child)
        elif child.dep_ not in ("nsubj", "nsubjpass", "dobj"):
            continue
        if _lemma(child) in cues.physical:
            return True
    return False


def _cue_span(token: Token, entry: str) -> tuple[int, int]:
    start = end = token.i
    if " " in entry:
        for child in token.children:
            if child.dep_ in ("prt", "prep") and child.i > token.i and child.i - token.i <= 3:
                end = max(end, child.i)
    return start, end + 1


class _Builder:
    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.out: list[Attribution] = []
        self.used_cues: set[int] = set()
        self.covered_quotes: set[int] = set()

    def add(self, source: tuple[int, int] | None, cue: tuple[int, int],
            content: tuple[int, int], cue_lemma: str, *, cue_chars: tuple[int, int] | None = None
            ) -> None:
        ctx = self.ctx
        c_start, c_end = content
        if c_end <= c_start:
            return
        content_chars = ctx.chars(c_start, c_end)
        # Quotations are in text order with non-decreasing token starts and ends, so those
        # overlapping the content are one run: bisect it rather than scan every quotation.
        first = bisect.bisect_right(ctx.quote_ends, c_start)
        last = bisect.bisect_left(ctx.quote_starts, c_end)
        self.covered_quotes.update(range(first, last))
        source_chars = None
        if source is not None and source[1] > source[0]:
            source_chars = ctx.chars(*source)
        self.used_cues.update(range(cue[0], cue[1]))
        self.out.append(Attribution(
            source=source_chars,
            cue=cue_chars or ctx.chars(*cue),
            content=content_chars,
            kind=_kind(ctx.text, *content_chars),
            cue_lemma=cue_lemma,
        ))

    # -- content extension over quotations ------------------------------------------------

    def extend_quotes(self, start: int, end: int, cue: tuple[int, int]) -> tuple[int, int]:
        """Grow a content range to whole quotations it touches; join a quotation that
        resumes right after the cue clause ("A," he said, "B.") and quoted sentences that
        continue it in the same paragraph."""
        ctx = self.ctx
        q_first = ctx.quote_of[start] if start < len(ctx.quote_of) else -1
        q_last = ctx.quote_of[end - 1] if end > 0 else -1
        if q_first >= 0:
            start = min(start, ctx.quotes[q_first][2])
        if q_last >= 0:
            end = max(end, ctx.quotes[q_last][3])
        # Content that ends (with its quotation) before the cue: look for a resumption.
        if q_last >= 0 and end <= cue[0]:
            end = self._resume(end, cue, q_last)
        return start, end

    def _resume(self, end: int, cue: tuple[int, int], q_last: int) -> int:
        ctx = self.ctx
        doc = ctx.doc
        para = ctx.para_of[cue[0]]
        q = q_last + 1
        while q < len(ctx.quotes):
            _, _, qts, qte = ctx.quotes[q]
            if qts >= len(doc) or ctx.para_of[qts] != para:
                break
            # Between the previous piece (and the cue clause) and this quotation: only the
            # cue's own sentence tail or sentence punctuation, no other cue verb.
            gap_start = max(end, cue[1])
            gap = doc[gap_start:qts]
            if any(t.pos_ in ("VERB", "AUX") and not t.is_punct and t.i not in
                   range(cue[0], cue[1]) and _cue_entry(t, ctx.cues) for t in gap):
                break
            if len(gap) > 12:
                break
            end = qte
            q += 1
        return end

    # -- rules ----------------------------------------------------------------------------

    def verb_cues(self, *, quotes_only: bool = False) -> None:
        """Cue verbs with a clausal content; with ``quotes_only``, the cue verbs left over
        that stand next to a quotation no other cue has claimed."""
        ctx = self.ctx
        cues = ctx.cues
        for token in ctx.doc:
            if quotes_only and token.i in self.used_cues:
                continue
            found = _cue_entry(token, cues)
            if found is None:
                continue
            entry, cls = found
            if ctx.quote_of[token.i] >= 0:
                continue  # reports nested in a quotation belong to the quoted speaker
            if _no_statement(token, cls, cues):
                continue
            cue = _cue_span(token, entry)
            if quotes_only:
                content = self._adjacent_quote(token) if cls in ("speech", "phrasal") else None
                if content is not None:
                    content = self._finish_content(*content, cue)
            else:
                content = self._content_of(token, cls, cue)
            if content is None:
                continue
            source_tok = _source_of(token)
            if source_tok is not None and cls == "belief" and source_tok.lower_ == "it":
                source_tok = None  # "It appears that ...": an expletive holds no belief
            source = None
            if source_tok is not None:
                source = self._source_range(source_tok, content, cue)
            if source is None and token.tag_ == "VBG":
                # "their way of asserting dominance", "detected by observing radiation": a
                # gerund with nobody doing it names an activity, not a report (PolNeAR
                # train: gold in 47% of such cues).
                continue
            if source is None and _lemma(token) in cues.evidential:
                continue  # "show" with nobody showing: a parse that lost its subject
            if cls == "belief" and ctx.doc[content[0]].lower_ in _OPEN:
                continue  # "I don't know if ...": an open question is not a claim
            self.add(source, cue, content, entry)

    def _content_of(self, verb: Token, cls: str, cue: tuple[int, int]) -> tuple[int, int] | None:
        ctx = self.ctx
        clause = None
        quote_only = _lemma(verb) in ctx.cues.quote_only
        for child in verb.children:
            if quote_only:
                break
            if child.dep_ == "ccomp" or (child.dep_ == "parataxis" and cls == "speech"):
                clause = child
                break
        if clause is None and cls == "phrasal":
            particles = ctx.cues.phrasal.get(_lemma(verb), frozenset())
            for child in verb.children:
                if child.i > verb.i and child.lower_ in particles:
                    if child.dep_ == "prep":
                        clause = next((g for g in child.children
                                       if g.dep_ in ("pobj", "pcomp")), None)
                    else:
                        clause = next((c for c in verb.children
                                       if c.dep_ in ("dobj", "ccomp") and c.i > child.i), None)
                    break
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
        agent = any(c.dep_ == "agent" for c in verb.children)
        lemma = _lemma(verb)
        # "Bush is expected to visit", "the virus is thought to be": a passive without an
        # agent says what is believed of its subject, by nobody named; not a statement.
        if clause is None and (cls == "belief" and (agent or not passive)
                               and lemma not in ctx.cues.clause_only or not passive and (
                cls == "object" or lemma in ctx.cues.addressee or lemma in _XCOMP_SPEECH)):
            clause = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i),
                          None)
        if clause is None and cls in ("speech", "object") and not passive \
                and lemma not in ctx.cues.addressee and lemma not in ctx.cues.no_object \
                and not quote_only:
            clause = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i),
                          None)
        if clause is not None and lemma in ctx.cues.desire and not _finite(clause):
            return None  # "wants the government to agree": a wish, not a statement
        if clause is not None:
            start, end = _subtree_range(clause)
        elif verb.dep_ in ("parataxis", "ccomp") and cls in ("speech", "phrasal") \
                and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX") \
                and not any(c.dep_ == "mark" and c.lower_ in ("that", "whether", "if")
                            for c in verb.children) \
                and ctx.quote_of[verb.i] < 0:
            # ("that they agreed to file" is a complement, not an interrupting clause; a
            # clause hung from a noun, "e-mails that we have asked for", interrupts none)
            # "..., he said, ..." : the verb interrupts (or follows) the reported clause.
            head = verb.head
            if verb.dep_ == "ccomp" and _cue_entry(head, ctx.cues) is not None:
                # "The ministry said the talks would continue": a cue verb inside another
                # cue's content is not interrupting a clause.
                return None
            start, end = _subtree_range(head, exclude=verb)
            if verb.dep_ == "ccomp" and not (end <= verb.left_edge.i
                                             or start >= verb.right_edge.i + 1):
                return None
        else:
            return None
        return self._finish_content(*self._to_sentence(verb, start, end, cue), cue)

    def _to_sentence(self, verb: Token, start: int, end: int, cue: tuple[int, int]
                     ) -> tuple[int, int]:
        """Grow an unquoted content after its cue to the sentence end, one before its cue
        to the sentence start (PolNeAR's boundaries; the parse's subtrees stop early)."""
        if start >= cue[1] and self.ctx.quote_of[start] < 0:
            return start, self._to_sentence_end(verb, end)
        if end <= cue[0] and self.ctx.quote_of[end - 1] < 0 \
                and verb.dep_ in ("ROOT", "parataxis", "conj"):
            return self._from_sentence_start(verb, start, end)
        return start, end

    def _to_sentence_end(self, verb: Token, end: int) -> int:
        """Where a content after its cue ends: the parse's subtree often stops early ("cited
        remarks Trump had made about her as examples ..."); PolNeAR's content runs on to
        the sentence end, up to a comma, dash, semicolon, colon or bracket, a clause opened
        by "and"/"but", or another cue verb with its subject ("..., and he added that")."""
        ctx, doc = self.ctx, self.ctx.doc
        sent_end = ctx.sents[ctx.sent_of[verb.i]][1]
        para = ctx.para_of[verb.i]
        i = end
        while i < sent_end and ctx.para_of[i] == para:
            token = doc[i]
            if ctx.quote_of[i] < 0 and (token.text in _TAIL_STOPS
                                        or token.lower_ in ("and", "but") and i == end):
                return i
            if ctx.quote_of[i] < 0 and _cue_entry(token, ctx.cues) is not None:
                j = max(end, min([i] + [c.left_edge.i for c in token.children
                                        if c.i < i and c.dep_ in _CUE_LEFT]))
                while j > end and (doc[j - 1].is_punct or doc[j - 1].is_space
                                   or doc[j - 1].lower_ in ("and", "but", "while", "or")):
                    j -= 1
                return j
            i += 1
        while i > end and ctx.quote_of[i - 1] < 0 and doc[i - 1].text in _TAIL_DROP:
            i -= 1  # "... the legislation?", "... backwards!", "[...]"
        return i

    def _from_sentence_start(self, verb: Token, start: int, end: int) -> tuple[int, int]:
        """A content before its cue ("A, but B, the source added"): from the start of the
        sentence (in the cue's paragraph) to the cue's clause (its subject, auxiliaries)."""
        ctx = self.ctx
        sent_start = ctx.sents[ctx.sent_of[verb.i]][0]
        para = ctx.para_of[verb.i]
        while start > sent_start and ctx.para_of[start - 1] == para:
            start -= 1
        left = min([verb.i] + [c.left_edge.i for c in verb.children
                               if c.i < verb.i and c.dep_ in _CUE_LEFT])
        return start, max(end, left)

    def _finish_content(self, start: int, end: int, cue: tuple[int, int]
                        ) -> tuple[int, int] | None:
        ctx = self.ctx
        start, end = ctx.trim(start, end, keep_quotes=True)
        if end <= start:
            return None
        if ctx.quote_of[cue[0]] < 0:
            start, end = self.extend_quotes(start, end, cue)
        # Drop the final sentence punctuation unless it sits inside a quotation.
        while end > start and ctx.doc[end - 1].text in (".", ",", ";", ":") \
                and ctx.quote_of[end - 1] < 0:
            end -= 1
        while start < end and (ctx.doc[start].is_space or ctx.doc[start].text in (",", ":")):
            start += 1
        if end <= start or (start <= cue[0] < end and not self._split_ok(start, end, cue)):
            return None
        return start, end

    def _split_ok(self, start: int, end: int, cue: tuple[int, int]) -> bool:
        """A content may contain its cue only when quotations sit on both sides."""
        ctx = self.ctx
        left = any(ctx.quote_of[i] >= 0 for i in range(start, cue[0]))
        right = any(ctx.quote_of[i] >= 0 for i in range(cue[1], end))
        return left or right

    def _adjacent_quote(self, verb: Token) -> tuple[int, int] | None:
        """A quotation right after ``verb``'s clause (`he said: "..."`) or right before it
        (`"...," said the minister`) in the same sentence or paragraph."""
        ctx = self.ctx
        doc = ctx.doc
        if ctx.quote_of[verb.i] >= 0:
            return None
        sent_start, sent_end = ctx.sents[ctx.sent_of[verb.i]]
        # Tokens allowed between the cue verb and its quotation: its subject (inverted or
        # not), a short object ("told reporters"), auxiliaries, adverbs and , or :.
        allowed = {verb.i}
        for child in verb.children:
            if child.dep_ in ("nsubj", "dobj", "dative", "iobj", "aux", "neg", "advmod",
                              "prt", "punct", "npadvmod"):
                allowed.update(range(child.left_edge.i, child.right_edge.i + 1))
        # After: `he said: "..."`, `said Smith, "..."`.
        i = verb.i + 1
        while i < len(doc) and ctx.quote_of[i] < 0 and (i in allowed or doc[i].is_space) \
                and i - verb.i <= 12:
            i += 1
        if i < len(doc) and ctx.quote_of[i] >= 0 and ctx.para_of[i] == ctx.para_of[verb.i] \
                and (i == verb.i + 1 or doc[i - 1].text in (",", ":") or doc[i - 1].is_space):
            q = ctx.quote_of[i]
            if q not in self.covered_quotes and ctx.quotes[q][2] == i:
                return ctx.quotes[q][2], ctx.quotes[q][3]
        # Before: `"...," she said`, `"...," said the minister`.
        i = verb.i - 1
        while i >= sent_start and ctx.quote_of[i] < 0 and (i in allowed or doc[i].is_space) \
                and verb.i - i <= 12:
            i -= 1
        if i >= 0 and ctx.quote_of[i] >= 0 and ctx.para_of[i] == ctx.para_of[verb.i]:
            q = ctx.quote_of[i]
            if q not in self.covered_quotes and ctx.quotes[q][3] == i + 1 and \
                    (doc[i].text not in ("'", "’")):
                return ctx.quotes[q][2], ctx.quotes[q][3]
        return None

    def _source_range(self, token: Token, content: tuple[int, int],
                      cue: tuple[int, int]) -> tuple[int, int] | None:
        ctx = self.ctx
        start, end = token.left_edge.i, token.right_edge.i + 1
        c_start, c_end = content
        # The source must stay outside the content (unless the content is a split quote
        # around it) and must not swallow the cue: an antecedent keeps its words up to the
        # clause that holds the cue ("a statement from Myers that says" -> "a statement from
        # Myers").
        if start < cue[1] and cue[0] < end:
            holder = next((c for c in token.children if c.i > token.i
                           and c.left_edge.i <= cue[0] <= c.right_edge.i), None)
            end = holder.left_edge.i if holder is not None else token.i + 1
            if start < cue[1] and cue[0] < end:
                start, end = token.i, token.i + 1
        start, end = _same_line(ctx.doc, start, end, token.i, cue[0])
        for i in range(start, end):
            if ctx.quote_of[i] >= 0 and ctx.quote_of[token.i] < 0:
                # A quotation inside the subject: keep the part next to the head.
                if i < token.i:
                    start = i + 1
                else:
                    end = i
                    break
        start, end = ctx.trim(start, end)
        if end <= start:
            return None
        start, end = _balance(ctx.doc, start, end)
        if start < c_end and c_start < end and not (c_start < start and end < c_end
                                                    and ctx.quote_of[token.i] < 0):
            if c_start <= token.i < c_end and ctx.quote_of[token.i] >= 0:
                return None
            start, end = token.i, token.i + 1
        return start, end

    def according_to(self) -> None:
        ctx = self.ctx
        doc = ctx.doc
        for token in doc:
            if token.lower_ != "according" or token.i + 1 >= len(doc):
                continue
            to = doc[token.i + 1]
            if to.lower_ != "to":
                continue
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                s_start, s_end = pobj.left_edge.i, pobj.right_edge.i + 1
            else:
                s_start = s_end = token.i + 2
                while s_end < len(doc) and not _is_punct(doc[s_end]) and s_end - s_start < 8:
                    s_end += 1
            phrase = (token.i, max(s_end, token.i + 2))
            sent_start, sent_end = ctx.sents[ctx.sent_of[token.i]]
            if ctx.parsed and token.head.i != token.i and token.head.i not in range(*phrase):
                start, end = _subtree_range(token.head)
            else:
                start, end = sent_start, sent_end
            start, end = max(start, sent_start), min(end, sent_end)
            if phrase[0] <= start < phrase[1]:
                start = phrase[1]
            elif start < phrase[0] and end <= phrase[1]:
                end = phrase[0]
            elif start < phrase[0] < phrase[1] < end and phrase[1] >= end - 2:
                end = phrase[0]
            start, end = ctx.trim(start, end, keep_quotes=True)
            while end > start and doc[end - 1].text in (".", ",", ";") \
                    and ctx.quote_of[end - 1] < 0:
                end -= 1
            while start < end and doc[start].text in (",", ";", ":"):
                start += 1
            if end <= start:
                continue
            source = ctx.trim(s_start, s_end)
            self.add(source if source[1] > source[0] else None, (token.i, token.i + 2),
                     (start, end), "according to")

    def colons(self) -> None:
        """``Name: "..."`` and ``Name: text`` (headlines, transcripts)."""
        ctx = self.ctx
        for token in ctx.doc:
            if token.text != ":" or token.i in self.used_cues or token.i == 0:
                continue
            if ctx.quote_of[token.i] >= 0:
                continue
            start = self._colon_label(token)
            content = self._colon_content(token) if start is not None else None
            if content is not None:
                self.add(ctx.trim(start, token.i), (token.i, token.i + 1), content, ":")

    def _colon_label(self, token: Token) -> int | None:
        """Where the speaker label before a colon starts, or ``None`` when the words before
        it are no speaker (a salutation, an e-mail header, a dateline, a field name)."""
        ctx, doc = self.ctx, self.ctx.doc
        sent_start = ctx.sents[ctx.sent_of[token.i]][0]
        para = ctx.para_of[token.i]
        start = token.i
        while start > 0 and start > token.i - _MAX_COLON_SOURCE - 1 \
                and ctx.para_of[start - 1] == para and start > sent_start \
                and not doc[start - 1].is_space and doc[start - 1].text != ":":
            start -= 1
        label = doc[start:token.i]
        if not (0 < len(label) <= _MAX_COLON_SOURCE) or start != sent_start and \
                doc[start - 1].text not in (".", "\n") and not doc[start - 1].is_space:
            return None
        if not (label[0].is_title or label[0].is_upper
                or label[0].lower_ in ("he", "she", "they", "we", "i")):
            return None
        if any(t.pos_ == "VERB" or t.is_digit or t.like_num or t.text in ",;" for t in label):
            return None
        if label[0].lower_ in _SALUTATIONS or start > 0 and doc[start - 1].text == ":":
            return None  # "Dear Mr. Secretary:", "From: A To: B" (letters, e-mail headers)
        if label[-1].ent_type_ in ("GPE", "LOC"):
            return None  # a dateline or a topic ("... MUMBAI: The markets moved ...")
        if not (any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
                    for t in label) or len(label) == 1 and label[0].pos_ == "PRON") \
                and ctx.parsed:
            return None  # "Privately between us: Go Boeing!" names nobody
        if label[-1].lower_ in _QUESTIONER:
            return None  # "QUESTION: Mr. Secretary, ...": a reporter's question
        return start

    def _colon_content(self, token: Token) -> tuple[int, int] | None:
        """What follows a speaker's colon: to the end of the quotation or of the sentence in
        its paragraph; ``None`` for a field label or a header line of labels."""
        ctx, doc = self.ctx, self.ctx.doc
        para = ctx.para_of[token.i]
        c_start = token.i + 1
        while c_start < len(doc) and doc[c_start].is_space:
            c_start += 1
        if c_start >= len(doc) or ctx.para_of[c_start] != para:
            return None
        q = ctx.quote_of[c_start]
        if q >= 0:
            c_end = ctx.quotes[q][3]
        else:
            c_end = ctx.sents[ctx.sent_of[c_start]][1]
            while c_end < len(doc) and ctx.para_of[c_end - 1] != para:
                c_end -= 1
        c_start, c_end = ctx.trim(c_start, c_end, keep_quotes=True)
        while c_end > c_start and doc[c_end - 1].text in (".",) \
                and ctx.quote_of[c_end - 1] < 0:
            c_end -= 1
        if c_end <= c_start:
            return None
        body = doc[c_start:c_end]
        if ctx.parsed and q < 0 and not any(t.pos_ in ("VERB", "AUX") and t.is_alpha
                                            for t in body):
            return None  # a field label ("Launch site: Baikonur", "Telephone: 41 22 ...")
        if any(t.text == ":" and ctx.quote_of[t.i] < 0 for t in body):
            return None  # a header line of labels ("To: A Date: ... Subject: ...")
        return c_start, c_end


_TAIL_STOPS = frozenset({",", ";", ":", "—", "–", "-", "--", "("})
"""Marks where a content after its cue stops when its parse subtree ended earlier."""
_TAIL_DROP = frozenset({"?", "!", "]", ")", "-", "--", "—", "."})
"""Marks a grown content does not end with (outside quotations)."""
_CUE_LEFT = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod"})
"""Children before a cue verb that belong to its clause ("the source has also added")."""
_DASHES = frozenset({"-", "—", "–", "--"})
_MONTH_ABBREVIATIONS = frozenset("jan jan. feb feb. mar mar. apr apr. may jun jun. jul jul. aug "
                                 "aug. sep sep. sept sept. oct oct. nov nov. dec dec.".split())


def _after_dateline(doc: Doc, start: int, head: int) -> int:
    """Where the source starts after a dateline before its subject: "WASHINGTON - ...",
    "TOKYO, 2024-02-06 - ...", "WASHINGTON, Feb. 6 (Reuters) - ..." (the last dash that only
    capitals, numbers, month abbreviations, an agency in brackets and punctuation precede)."""
    after = start
    for i in range(start + 1, head):
        if doc[i].text in _DASHES and all(
                t.is_upper or t.is_punct or t.is_space or t.like_num
                or t.lower_ in _MONTH_ABBREVIATIONS or t.i > 0 and doc[t.i - 1].text == "("
                for t in doc[start:i]):
            after = i + 1
    return after


def _same_line(doc: Doc, start: int, end: int, head: int, cue: int) -> tuple[int, int]:
    """Cut token range ``[start, end)`` to the line of ``head`` and out of brackets it does
    not open: a heading, caption or byline that the parser glued to a subject ("[Reuters]
    Hu said", a photo caption line before "Kabakoff has worked ...") is not the speaker.
    A head on a heading line above the cue's line gives way to the words on the cue's line
    ("Political criticism\nShadow Health Secretary Andrew Lansley dismissed ...")."""
    if head < cue:
        breaks = [i for i in range(head, min(end, cue))
                  if "\n" in doc[i].whitespace_ or doc[i].is_space and "\n" in doc[i].text]
        if breaks and breaks[-1] + 1 < min(end, cue):
            return breaks[-1] + 1, min(end, cue)
    start = _after_dateline(doc, start, head)
    depth = 0
    for i in range(start, head):
        token = doc[i]
        if "\n" in token.whitespace_ or token.is_space and "\n" in token.text:
            start, depth = i + 1, 0
        elif token.text in ("(", "["):
            depth += 1
        elif token.text in (")", "]"):
            if depth == 0:
                start = i + 1
            depth = max(0, depth - 1)
    for i in range(head, end):
        token = doc[i]
        if token.is_space and "\n" in token.text:
            return start, i
        if "\n" in token.whitespace_:
            return start, i + 1
    return start, end


def _balance(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Close a bracket the span opens ("(EEI" -> "(EEI)", "Trustco Inc>" -> "<...>")."""
    text = doc[start:end].text
    for left, right in (("(", ")"), ("<", ">")):
        if text.count(left) > text.count(right) and end < len(doc) and doc[end].text == right:
            end += 1
        elif text.count(right) > text.count(left) and start > 0 and doc[start - 1].text == left:
            start -= 1
    return start, end


def _kind(text: str, start: int, end: int) -> str:
    core = text[start:end].strip()
    if not core:
        return "indirect"
    quotes = "\"“”„«»"
    has = any(c in quotes for c in core) or "''" in core or "``" in core
    if not has:
        return "indirect"
    first_ok = core[0] in quotes or core[:2] in ("''", "``")
    tail = core.rstrip(" .,;:!?—-")
    last_ok = bool(tail) and (tail[-1] in quotes or tail.endswith("''"))
    return "direct" if first_ok and last_ok else "mixed"


def find_attributions(doc: Doc, *, cues: CueLexicon | None = None,
                      headlines: bool = False) -> list[Attribution]:
    """Find the reported statements of a parsed ``Doc``.

    Args:
        doc: A ``Doc``; with a dependency parse for verb cues (any English spaCy pipeline).
            A Doc without a parse still gets colon cues ("Minister: ...").
        cues: A cue lexicon (:func:`load_cues`); default ``analystkit/data/cues.txt``.
        headlines: Keep attributions whose cue is in a headline, caption or label line (a
            line in title case, or one without final punctuation between other lines: see
            :func:`headline_lines`). Off by default: a headline repeats or teases the
            story's statements, so counting it would count them twice. PolNeAR annotates
            headlines; ``bench/attrib_eval.py --headlines`` scores that convention.

    Returns:
        Attributions in text order of their cue; at most one per cue.

    Example:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> words = ["Minister", ":", "We", "will", "win", "."]
        >>> doc = Doc(nlp.vocab, words=words, spaces=[False, True, True, True, False, False],
        ...           sent_starts=[True, False, False, False, False, False])
        >>> a = find_attributions(doc)[0]
        >>> doc.text[slice(*a.source)], doc.text[slice(*a.cue)], doc.text[slice(*a.content)]
        ('Minister', ':', 'We will win')
    """
    if len(doc) == 0:
        return []
    ctx = _Context(doc, cues or load_cues())
    builder = _Builder(ctx)
    if ctx.parsed:
        builder.according_to()
        builder.verb_cues()
        builder.verb_cues(quotes_only=True)
    builder.colons()
    found = _dedupe(builder.out)
    if not headlines:
        lines = headline_lines(doc.text)
        if lines:
            # Only a cue whose sentence starts on the headline line: a sentence that began
            # on the line before is body text that happens to end there.
            found = [a for a in found if not _in_headline(ctx, doc, a.cue[0], lines)]
    return sorted(found, key=lambda a: (a.cue, a.content))


def _in_headline(ctx: _Context, doc: Doc, offset: int, lines: list[tuple[int, int]]) -> bool:
    index = bisect.bisect_right([start for start, _ in lines], offset) - 1
    if index < 0 or not lines[index][0] <= offset < lines[index][1]:
        return False
    line_start, line_end = lines[index]
    token = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if token is None or not len(token):
        return True
    first, last = ctx.sents[ctx.sent_of[token.start]]
    words = [t for t in doc[first:last] if not t.is_space]
    return not words or words[0].idx >= line_start


_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+\S")
"""A markdown heading line ("# Title", "## Section"), whatever its case."""


def headline_lines(text: str) -> list[tuple[int, int]]:
    """Character spans of the lines of ``text`` that are headlines, captions or labels.

    A line is one when the text has other lines, it stands alone (it does not start in lower
    case and the next line does not continue it in lower case, so hard-wrapped paragraphs
    are never headlines), it has at most ``_MAX_HEADLINE_WORDS`` words, and it is in title
    case ("Kmart Buying Sears in $11.5 Billion Deal") or ends without final punctuation
    ("Reid's smoking ban attacked by both sides"); a line ending in a colon introduces the
    next one ("Caddell continued:") and is never a headline. A markdown heading ("# ...") is
    one whatever its case.

    Args:
        text: A document's text.

    Returns:
        ``(start, end)`` spans in text order.

    Example:
        >>> text = "Minister warns of cuts\\nThe minister said cuts would come."
        >>> [text[s:e] for s, e in headline_lines(text)]
        ['Minister warns of cuts']
    """
    spans: list[tuple[int, int]] = []
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)
             if not m.group().isspace()]
    if len(lines) < 2:
        return spans  # a one-line text is body text, whatever its punctuation
    # Hard-wrapped text (newswire, e-mail): most long lines stop mid-sentence, so a line
    # without final punctuation says nothing about headlines.
    long = [text[s:e].strip() for s, e in lines if len(text[s:e].split()) >= _WRAP_WORDS]
    if _hard_wrapped(long):
        return spans
    # Paragraphs marked by indentation (newswire): a line followed by an unindented line
    # goes on in it, so only a line before an indented line or a blank line can stand alone.
    indented = any(text[s:s + 2].isspace() or text[s:s + 1] == "\t" for s, _ in lines[1:])
    for number, (start, end) in enumerate(lines):
        line = text[start:end].strip()
        words = line.split()
        if _MARKDOWN_HEADING.match(line):
            spans.append((start, end))  # "# Kenya opposition rejects results": a heading
            continue
        if indented and number + 1 < len(lines) and not (
                text[lines[number + 1][0]:lines[number + 1][0] + 2].isspace()
                or text[lines[number + 1][0]:lines[number + 1][0] + 1] == "\t"
                or "\n\n" in text[end:lines[number + 1][0] + 1]):
            continue
        if not words or len(words) > _MAX_HEADLINE_WORDS or not line[0].isupper() \
                and not line[0].isdigit() and line[0] not in _QUOTE_CHARS:
            continue
        following = next((text[s:e].strip() for s, e in lines[number + 1:]
                          if text[s:e].strip()), "")
        if following[:1].islower():
            continue  # a hard-wrapped line, not a line of its own
        if _closed(line) and not _title_case(words):
            continue
        core = line.rstrip("\"'”’»)]} ")
        if core[-1:] in ",;:-–—(" or len(words) < 2 or words[-1].lower() in _OPEN_ENDINGS:
            continue  # "... Corp said the" continues on the next line
        spans.append((start, end))
    return spans


def _hard_wrapped(long_lines: list[str]) -> bool:
    """Text wrapped at a fixed width: most long lines stop mid-sentence and have about the
    same length, at most ~100 characters (a web page's menu lines and paragraphs differ)."""
    if len(long_lines) < 3 or sum(not _closed(line) for line in long_lines) <= 0.5 * len(
            long_lines):
        return False
    lengths = sorted(len(line) for line in long_lines)
    median = lengths[len(lengths) // 2]
    near = sum(abs(length - median) <= 0.2 * median for length in lengths)
    return median <= 100 and near >= 0.6 * len(lengths)


def _closed(line: str) -> bool:
    """Whether a line ends with final punctuation (closing quotes and brackets aside)."""
    return line.rstrip("\"'”’»)]} ")[-1:] in (".", "!", "?", "…")


def _title_case(words: list[str]) -> bool:
    """Most content words capitalised ("Vote for Successor to Arafat Planned")."""
    content = [w for w in words if len(w) > 3 and w[0].isalpha()]
    if len(content) < 3:
        return False
    return sum(w[0].isupper() for w in content) >= 0.8 * len(content)


def _dedupe(attributions: Iterable[Attribution]) -> list[Attribution]:
    seen: dict[tuple[int, int], Attribution] = {}
    for att in attributions:
        if att.cue not in seen:
            seen[att.cue] = att
    return list(seen.values())
