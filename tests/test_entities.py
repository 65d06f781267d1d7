"""Canonical entities: merge rules on hand-built Docs, alias override, co-occurrence, KWIC."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import spacy

from analystkit import entities
from analystkit.corpus import Corpus, Document
from analystkit.pipeline import AnnotatedCorpus


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def make(nlp, texts_and_ents: list[tuple[str, list[tuple[str, str]]]]) -> AnnotatedCorpus:
    """Docs whose ents are given as (surface text, label), found left to right in the text."""
    documents, docs = [], []
    for number, (text, ents) in enumerate(texts_and_ents):
        doc = nlp(text)
        spans, cursor = [], 0
        for surface, label in ents:
            start = text.index(surface, cursor)
            span = doc.char_span(start, start + len(surface), label=label)
            assert span is not None, surface
            spans.append(span)
            cursor = start + len(surface)
        doc.ents = spans
        documents.append(Document(f"d{number}", text))
        docs.append(doc)
    return AnnotatedCorpus(Corpus(documents, pd.DataFrame()), docs, "blank")


def by_text(mentions: pd.DataFrame) -> dict[str, tuple[str, str]]:
    return {r.text: (r.canonical, r.role) for r in mentions.itertuples()}


def test_alias_table_merges_country_forms(nlp):
    annotated = make(nlp, [("The US and the U.S. and USA and the United States met.",
                            [("US", "GPE"), ("the U.S.", "GPE"), ("USA", "GPE"),
                             ("the United States", "GPE")])])
    mentions = entities.entity_mentions(annotated)
    assert set(mentions.canonical) == {"United States"}
    assert set(mentions.text) == {"US", "U.S.", "USA", "United States"}  # "the" stripped
    doc_text = annotated.corpus.documents[0].text
    assert all(doc_text[r.start_char:r.end_char] == r.text for r in mentions.itertuples())
    frequency = entities.entity_frequency(mentions)
    assert frequency.loc[0, "mentions"] == 4 and frequency.loc[0, "documents"] == 1
    assert len(frequency.loc[0, "surface_forms"].split("|")) == 4


def test_possessive_so_called_and_compounds(nlp):
    text = ("The so-called Islamic State's fighters fled. ISIS lost. US-backed forces and "
            "pro-Syrian militias clashed.")
    annotated = make(nlp, [(text, [("Islamic State's", "ORG"), ("ISIS", "ORG"), ("US", "GPE"),
                                   ("pro-Syrian", "NORP")])])
    rows = by_text(entities.entity_mentions(annotated))
    assert rows["Islamic State"] == ("Islamic State", "possessive")
    assert rows["ISIS"] == ("Islamic State", "name")
    assert rows["US"] == ("United States", "-backed")
    assert rows["Syrian"][1] == "pro-"


def test_compound_inside_the_span(nlp):
    annotated = make(nlp, [("U.S.-led strikes continued.", [("U.S.-led", "GPE")])])
    rows = by_text(entities.entity_mentions(annotated))
    assert rows == {"U.S.": ("United States", "-led")}


def test_acronym_introduced_next_to_expansion(nlp):
    text = ("The Zorbian Liberation Front (ZLF) said so. Later the ZLF denied it. "
            "A statement by Operation Inherent Resolve (OIR) followed; OIR confirmed.")
    annotated = make(nlp, [(text, [("Zorbian Liberation Front", "ORG"), ("ZLF", "ORG"),
                                   ("ZLF", "ORG"), ("Operation Inherent Resolve", "ORG"),
                                   ("OIR", "ORG"), ("OIR", "ORG")])])
    mentions = entities.entity_mentions(annotated)
    assert set(mentions[mentions.text == "ZLF"].canonical) == {"Zorbian Liberation Front"}
    assert mentions[mentions.text.isin(["OIR", "Operation Inherent Resolve"])] \
        .entity_id.nunique() == 1


def test_acronym_that_does_not_match_initials_is_not_merged(nlp):
    text = "Acme Widgets (XYZ) grew. XYZ fell."
    annotated = make(nlp, [(text, [("Acme Widgets", "ORG"), ("XYZ", "ORG"), ("XYZ", "ORG")])])
    mentions = entities.entity_mentions(annotated)
    assert set(mentions[mentions.text == "XYZ"].canonical) == {"XYZ"}


def test_later_surname_and_org_short_form(nlp):
    text = ("Jane Doerfler met Texaco Inc officials. Doerfler said Texaco would pay. "
            "Smith disagreed.")
    annotated = make(nlp, [(text, [("Jane Doerfler", "PERSON"), ("Texaco Inc", "ORG"),
                                   ("Doerfler", "PERSON"), ("Texaco", "ORG"),
                                   ("Smith", "PERSON")])])
    rows = by_text(entities.entity_mentions(annotated))
    assert rows["Doerfler"][0] == "Jane Doerfler"
    assert rows["Texaco"][0] == "Texaco Inc"
    assert rows["Smith"][0] == "Smith"


def test_two_people_with_one_surname_are_not_merged(nlp):
    text = "Ann Lee and Bob Lee spoke. Lee left."
    annotated = make(nlp, [(text, [("Ann Lee", "PERSON"), ("Bob Lee", "PERSON"),
                                   ("Lee", "PERSON")])])
    assert by_text(entities.entity_mentions(annotated))["Lee"][0] == "Lee"


def test_surname_links_across_documents_when_unambiguous(nlp):
    annotated = make(nlp, [("Jane Doerfler spoke. Doerfler left.",
                            [("Jane Doerfler", "PERSON"), ("Doerfler", "PERSON")]),
                           ("Doerfler arrived.", [("Doerfler", "PERSON")])])
    mentions = entities.entity_mentions(annotated)
    assert mentions[mentions.doc_id == "d1"].canonical.tolist() == ["Jane Doerfler"]
    assert mentions.entity_id.nunique() == 1
    local = entities.entity_mentions(annotated, link_across_documents=False)
    assert local[local.doc_id == "d1"].canonical.tolist() == ["Doerfler"]


def test_demonyms_linked_and_optionally_merged(nlp):
    text = "Syrian troops and Russians met in Syria."
    annotated = make(nlp, [(text, [("Syrian", "NORP"), ("Russians", "NORP"), ("Syria", "GPE")])])
    separate = entities.entity_mentions(annotated)
    syrian = separate[separate.text == "Syrian"].iloc[0]
    assert syrian.demonym_of == "syria" and syrian.entity_id != "syria"
    assert separate[separate.text == "Russians"].iloc[0].demonym_of == "russia"
    merged = entities.entity_mentions(annotated, merge_demonyms=True)
    assert set(merged[merged.text.isin(["Syrian", "Syria"])].entity_id) == {"syria"}
    assert entities.entity_frequency(merged).set_index("entity_id").loc["syria", "mentions"] == 2


def test_analyst_alias_file_overrides_and_extends(nlp, tmp_path):
    custom = tmp_path / "aliases.csv"
    custom.write_text(
        "entity_id,canonical,label,aliases,demonyms,ambiguous\n"
        "united_states,USA (federal government),GPE,US|U.S.|Washington,,0\n"
        "acme,Acme Corporation,ORG,Acme|ACME Co,,0\n")
    text = "Washington and Acme and the US talked."
    annotated = make(nlp, [(text, [("Washington", "GPE"), ("Acme", "ORG"), ("the US", "GPE")])])
    rows = by_text(entities.entity_mentions(annotated, aliases=custom))
    assert rows["Washington"][0] == "USA (federal government)"
    assert rows["US"][0] == "USA (federal government)"
    assert rows["Acme"][0] == "Acme Corporation"
    shipped = by_text(entities.entity_mentions(annotated))
    assert shipped["Washington"][0] != "USA (federal government)"


def test_yaml_alias_file_and_bad_alias_file(nlp, tmp_path):
    from analystkit.errors import InputError

    custom = tmp_path / "aliases.yaml"
    custom.write_text("- entity_id: acme\n  canonical: Acme Corporation\n  label: ORG\n"
                      "  aliases: [Acme]\n")
    annotated = make(nlp, [("Acme grew.", [("Acme", "ORG")])])
    assert by_text(entities.entity_mentions(annotated, aliases=custom))["Acme"][0] \
        == "Acme Corporation"
    bad = tmp_path / "bad.csv"
    bad.write_text("entity_id,canonical,label,aliases,demonyms,ambiguous\nx,X,WEIRD,,,0\n")
    with pytest.raises(InputError, match="bad.csv.*row 2"):
        entities.entity_mentions(annotated, aliases=bad)
    with pytest.raises(InputError, match="not found"):
        entities.entity_mentions(annotated, aliases=tmp_path / "missing.csv")


def test_values_are_listed_but_are_not_entities(nlp):
    annotated = make(nlp, [("On Tuesday Iran paid $5.", [("Tuesday", "DATE"), ("Iran", "GPE"),
                                                        ("$5", "MONEY")])])
    everything = entities.entity_mentions(annotated, labels=None)
    assert everything.set_index("text").loc["Tuesday", "role"] == "value"
    assert pd.isna(everything.set_index("text").loc["Tuesday", "entity_id"])
    assert list(entities.entity_mentions(annotated).text) == ["Iran"]


def test_cooccurrence_counts_and_pmi(nlp):
    text = "Iran and Iraq met. Iran spoke. Syria and Iraq met."
    annotated = make(nlp, [(text, [("Iran", "GPE"), ("Iraq", "GPE"), ("Iran", "GPE"),
                                   ("Syria", "GPE"), ("Iraq", "GPE")])])
    mentions = entities.entity_mentions(annotated)
    same = entities.cooccurrence(mentions).set_index(["canonical_a", "canonical_b"])
    assert same.loc[("Iran", "Iraq"), "count"] == 1 and ("Iran", "Syria") not in same.index
    # 3 sentence units; Iran in 2, Iraq in 2, together in 1
    assert math.isclose(same.loc[("Iran", "Iraq"), "pmi"], math.log2(1 * 3 / (2 * 2)))
    wide = entities.cooccurrence(mentions, window=2).set_index(["canonical_a", "canonical_b"])
    assert wide.loc[("Iran", "Syria"), "count"] == 1  # sentences 1-2
    assert wide.loc[("Iran", "Iraq"), "count"] == 2
    with pytest.raises(ValueError):
        entities.cooccurrence(mentions, window=0)


def test_concordance_covers_all_aliases_and_escapes_html(nlp):
    text = "<script>alert(1)</script> The US said no. Later U.S. officials <b>agreed</b>."
    annotated = make(nlp, [(text, [("US", "GPE"), ("U.S.", "GPE")])])
    mentions = entities.entity_mentions(annotated)
    kwic = entities.concordance(annotated, mentions, "United States", width=30)
    assert list(kwic.match) == ["US", "U.S."]
    assert kwic.iloc[0].left.endswith("The ") and kwic.iloc[0].right.startswith(" said")
    page = entities.concordance_html(kwic)
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>agreed" not in page
    assert len(entities.concordance(annotated, mentions, "USA")) == 0  # not a form in the text
    assert len(entities.concordance(annotated, mentions, "U.S.")) == 2  # any form finds all


def test_document_entity_matrix(nlp):
    annotated = make(nlp, [("Iran and Iraq. Iran.", [("Iran", "GPE"), ("Iraq", "GPE"),
                                                     ("Iran", "GPE")]),
                           ("Iraq.", [("Iraq", "GPE")])])
    matrix = entities.document_entity_matrix(entities.entity_mentions(annotated))
    assert matrix.loc["d0", "Iran"] == 2 and matrix.loc["d1", "Iran"] == 0
    assert list(matrix.columns) == ["Iran", "Iraq"] or list(matrix.columns) == ["Iraq", "Iran"]


# ----------------------------------------------------------------- model-backed, on the seed

@pytest.fixture(scope="module")
def seed_mentions(seed_annotated):
    return seed_annotated, entities.entity_mentions(seed_annotated)


@pytest.mark.model
def test_seed_united_states_is_most_mentioned(seed_mentions):
    _, mentions = seed_mentions
    top = entities.entity_frequency(mentions).iloc[0]
    assert top.canonical == "United States"
    assert top.mentions >= 15 and len(top.surface_forms.split("|")) >= 4


@pytest.mark.model
def test_seed_tanf_is_one_place(seed_mentions):
    _, mentions = seed_mentions
    tanf = mentions[mentions.text.str.contains("Tanf")]
    assert tanf.entity_id.nunique() == 1
    assert {"Tanf", "At Tanf"} <= set(tanf.text) and any("Garrison" in t for t in tanf.text)
    assert not set(tanf.label) & {"PERSON", "PRODUCT"}
    assert set(tanf.label) <= {"GPE", "LOC", "FAC"}


@pytest.mark.model
def test_seed_isis_and_oir_merged(seed_mentions):
    _, mentions = seed_mentions
    isis = mentions[mentions.text.isin(["ISIS", "Islamic State"])]
    assert set(isis.text) == {"ISIS", "Islamic State"} and isis.entity_id.nunique() == 1
    oir = mentions[mentions.text.isin(["OIR", "Operation Inherent Resolve"])]
    assert set(oir.text) == {"OIR", "Operation Inherent Resolve"} and oir.entity_id.nunique() == 1


@pytest.mark.model
def test_seed_headline_not_one_entity(seed_mentions):
    annotated, mentions = seed_mentions
    document = annotated.corpus.documents[0]
    assert document.headline_end
    in_headline = mentions[mentions.start_char < document.headline_end]
    assert not (in_headline.end_char > document.headline_end).any()
    assert (in_headline.end_char - in_headline.start_char).max() < 20
    assert "United States" in set(in_headline.canonical)


def test_wrapped_lines_and_reuters_angle_brackets(nlp):
    text = "The United\nStates and <Acme Widgets Inc> agreed. Acme Widgets said the U.S. won."
    annotated = make(nlp, [(text, [("United\nStates", "GPE"), ("<Acme Widgets Inc>", "ORG"),
                                   ("Acme Widgets", "ORG"), ("U.S.", "GPE")])])
    mentions = entities.entity_mentions(annotated)
    rows = by_text(mentions)
    assert rows["United\nStates"][0] == "United States"
    assert rows["Acme Widgets Inc"][0] == rows["Acme Widgets"][0] == "Acme Widgets Inc"
    assert all(text[r.start_char:r.end_char] == r.text for r in mentions.itertuples())
    forms = entities.entity_frequency(mentions).set_index("canonical").surface_forms
    assert forms["United States"] in ("United States|U.S.", "U.S.|United States")


def test_org_without_corporate_suffix_gets_no_short_form(nlp):
    text = "The U.S.\nAgriculture Department said U.S. wheat sold."
    annotated = make(nlp, [(text, [("U.S.\nAgriculture Department", "ORG"), ("U.S.", "GPE")])])
    rows = by_text(entities.entity_mentions(annotated))
    assert rows["U.S."][0] == "United States"


def test_company_short_form_never_takes_a_country_name(nlp):
    text = "Tanzania Railway Corp said so. Tanzania agreed."
    annotated = make(nlp, [(text, [("Tanzania Railway Corp", "ORG"), ("Tanzania", "GPE")])])
    assert by_text(entities.entity_mentions(annotated))["Tanzania"][0] == "Tanzania"


# ------------------------------------------------------ corpus-level canonical entities


def test_one_canonical_name_per_id_across_spellings(nlp):
    annotated = make(nlp, [
        ("President George W. Bush met Tony Blair. Secretary of State Colin Powell spoke.",
         [("George W. Bush", "PERSON"), ("Tony Blair", "PERSON"), ("State", "ORG"),
          ("Colin Powell", "PERSON")]),
        ("President George W Bush said talks would continue. The state agreed.",
         [("George W Bush", "PERSON"), ("state", "ORG")]),
    ])
    mentions = entities.entity_mentions(annotated)
    assert (mentions.groupby("entity_id")["canonical"].nunique() == 1).all()
    bush = mentions[mentions.text.str.contains("Bush")]
    assert bush.entity_id.nunique() == 1 and set(bush.canonical) == {"George W. Bush"}
    # "State" of "Secretary of State" is a title and lower-case "state" a common noun
    assert not mentions.text.str.lower().eq("state").any()
    frequency = entities.entity_frequency(mentions)
    assert frequency.entity_id.is_unique


def test_honorifics_and_offices_are_not_part_of_the_name(nlp):
    annotated = make(nlp, [
        ("Hu Jintao arrived. Mr Hu said so.", [("Hu Jintao", "PERSON"), ("Mr Hu", "ORG")]),
        ("Wangari Maathai won. Prof Maathai thanked Secretary Roche.",
         [("Wangari Maathai", "PERSON"), ("Prof Maathai", "PERSON"),
          ("Secretary Roche", "PERSON")]),
        ("Mr Hu left Beijing.", [("Mr Hu", "PERSON"), ("Beijing", "GPE")]),
    ])
    mentions = entities.entity_mentions(annotated)
    rows = mentions.set_index(["doc_id", "start_char"])
    assert set(mentions[mentions.text == "Hu"].canonical) == {"Hu Jintao"}
    assert set(mentions[mentions.text == "Hu"].label) == {"PERSON"}
    assert set(mentions[mentions.text == "Maathai"].canonical) == {"Wangari Maathai"}
    assert "Roche" in set(mentions.text)  # the office is dropped, the offsets follow
    text = annotated.corpus.documents[1].text
    roche = rows.loc[("d1", text.index("Roche"))]
    assert text[roche.name[1]:roche.end_char] == "Roche"
    assert not mentions.canonical.str.match(r"(Mr|Mrs|Ms|Dr|Prof|Secretary)\b").any()


def test_two_people_sharing_a_surname_stay_two(nlp):
    corpus = [
        ("John Reid spoke in London. Reid said the plan works.",
         [("John Reid", "PERSON"), ("Reid", "PERSON")]),
        ("Harry Reid spoke in Nevada. Reid disagreed.",
         [("Harry Reid", "PERSON"), ("Reid", "PERSON")]),
        ("Reid was not available.", [("Reid", "PERSON")]),
    ]
    mentions = entities.entity_mentions(make(nlp, corpus))
    canonical = mentions.groupby("doc_id")["canonical"].apply(set).to_dict()
    assert canonical["d0"] == {"John Reid"} and canonical["d1"] == {"Harry Reid"}
    assert canonical["d2"] == {"Reid"}  # both people are named in the corpus: unresolved
    assert mentions.entity_id.nunique() == 3


def test_first_name_short_forms_travel_with_evidence(nlp):
    corpus = [
        ("Saddam Hussein was captured. Saddam was tried. Bao Shusheng said Bao would go.",
         [("Saddam Hussein", "PERSON"), ("Saddam", "PERSON"), ("Bao Shusheng", "PERSON"),
          ("Bao", "PERSON")]),
        ("Saddam appeared in court. Bao left.", [("Saddam", "PERSON"), ("Bao", "PERSON")]),
        ("George Smith and Ann Smith met. George spoke.",
         [("George Smith", "PERSON"), ("Ann Smith", "PERSON"), ("George", "PERSON")]),
    ]
    mentions = entities.entity_mentions(make(nlp, corpus))
    assert set(mentions[mentions.text == "Saddam"].canonical) == {"Saddam Hussein"}
    assert set(mentions[mentions.text == "Bao"].canonical) == {"Bao Shusheng"}
    assert set(mentions[mentions.text == "George"].canonical) == {"George Smith"}


def test_middle_initial_and_nickname_variants_merge(nlp):
    corpus = [
        ("James G. Roche wrote. Jim Roche replied.",
         [("James G. Roche", "PERSON"), ("Jim Roche", "PERSON")]),
        ("James Roche arrived.", [("James Roche", "PERSON")]),
        ("Roche, James sent mail.", [("Roche, James", "PERSON")]),
    ]
    mentions = entities.entity_mentions(make(nlp, corpus))
    assert mentions.entity_id.nunique() == 1 and set(mentions.canonical) == {"James G. Roche"}


def test_company_short_name_never_joins_another_company(nlp):
    text = ("Kmart will buy Sears, Roebuck and Co. to form Sears Holdings Corp. "
            "Sears said the deal is good. Sears Holdings will be based in Illinois.")
    two = make(nlp, [(text, [("Kmart", "ORG"), ("Sears, Roebuck and Co.", "ORG"),
                             ("Sears Holdings Corp.", "ORG"), ("Sears", "ORG"),
                             ("Sears Holdings", "ORG"), ("Illinois", "GPE")]),
                     ("Sears shares rose.", [("Sears", "ORG")])])
    mentions = entities.entity_mentions(two)
    sears = mentions[mentions.text == "Sears"]
    assert set(sears.canonical) == {"Sears, Roebuck and Co."}  # in its document and beyond
    holdings = mentions[mentions.text.str.startswith("Sears Holdings")]
    assert holdings.entity_id.nunique() == 1
    assert holdings.entity_id.iloc[0] != sears.entity_id.iloc[0]
    # a corpus that also names a person Sears: the bare name is no longer unambiguous
    three = make(nlp, [(text, [("Sears, Roebuck and Co.", "ORG")]),
                       ("Michael Sears resigned.", [("Michael Sears", "PERSON")]),
                       ("Sears shares rose.", [("Sears", "ORG")])])
    other = entities.entity_mentions(three)
    assert other[other.doc_id == "d2"].canonical.tolist() == ["Sears"]


def test_legal_forms_of_one_company_merge_across_documents(nlp):
    corpus = [("Boeing Co. won.", [("Boeing Co.", "ORG")]),
              ("The Boeing Company lost.", [("The Boeing Company", "ORG")]),
              ("Boeing said no. BOEING said yes.", [("Boeing", "ORG"), ("BOEING", "ORG")])]
    mentions = entities.entity_mentions(make(nlp, corpus))
    assert mentions.entity_id.nunique() == 1 and set(mentions.canonical) == {"Boeing"}


def test_washington_state_by_context(nlp):
    text = ("Fires hit Washington state. Seattle, Washington was calm. Spokane, Wash. "
            "was not. Washington said aid would come.")
    annotated = make(nlp, [(text, [("Washington", "GPE"), ("Seattle", "GPE"),
                                   ("Washington", "GPE"), ("Spokane", "GPE"), ("Wash.", "GPE"),
                                   ("Washington", "GPE")])])
    mentions = entities.entity_mentions(annotated)
    ids = mentions[mentions.text.str.startswith("Wash")].entity_id.tolist()
    assert ids == ["washington_state", "washington_state", "washington_state", "washington_dc"]


def test_banda_aceh_is_a_place_and_aceh_is_not_its_surname(nlp):
    annotated = make(nlp, [("The wave hit Banda Aceh. Aceh was flooded.",
                            [("Banda Aceh", "PERSON"), ("Aceh", "PERSON")])])
    rows = by_text(entities.entity_mentions(annotated))
    mentions = entities.entity_mentions(annotated).set_index("text")
    assert rows["Banda Aceh"][0] == "Banda Aceh" and rows["Aceh"][0] == "Aceh"
    assert mentions.loc["Banda Aceh", "label"] == "GPE" == mentions.loc["Aceh", "label"]


def test_generic_bodies_are_qualified_by_their_country(nlp):
    corpus = [
        ("Japan's Cabinet approved the plan. The Cabinet met again.",
         [("Japan", "GPE"), ("Cabinet", "ORG"), ("Cabinet", "ORG")]),
        ("Vanuatu said its Cabinet would meet. The University hosted it.",
         [("Vanuatu", "GPE"), ("Cabinet", "ORG"), ("University", "ORG")]),
        ("The U.S. Senate voted. The Senate adjourned.",
         [("U.S. Senate", "ORG"), ("Senate", "ORG")]),
        ("The Philippines said the Senate would vote.",
         [("Philippines", "GPE"), ("Senate", "ORG")]),
    ]
    mentions = entities.entity_mentions(make(nlp, corpus))
    cabinet = mentions[mentions.text == "Cabinet"].groupby("doc_id")["canonical"].apply(set)
    assert cabinet["d0"] == {"Cabinet (Japan)"} and cabinet["d1"] == {"Cabinet (Vanuatu)"}
    senate = mentions[mentions.text.str.contains("Senate")].groupby("doc_id")["entity_id"]
    assert set(senate.apply(set)["d2"]) == {"us_senate"}
    assert set(senate.apply(set)["d3"]) == {"philippines.senate"}
    assert "University" not in set(mentions.text)


def test_ids_transliterate_non_ascii_letters(nlp):
    annotated = make(nlp, [("Michael Häupl met Søren Ødegård and Lech Wałęsa in Straßburg.",
                            [("Michael Häupl", "PERSON"), ("Søren Ødegård", "PERSON"),
                             ("Lech Wałęsa", "PERSON"), ("Straßburg", "GPE")])])
    ids = set(entities.entity_mentions(annotated).entity_id)
    assert {"michael_haupl", "soren_odegard", "lech_walesa", "strassburg"} <= ids
    assert entities.fold("Æsir Œuvre Þór Đoàn") == "AEsir OEuvre Thor Doan"


def test_lower_case_words_in_cased_text_are_not_names(nlp):
    text = "The Earth orbits. On earth, the sec said GMT was late. Iran agreed."
    annotated = make(nlp, [(text, [("Earth", "LOC"), ("earth", "LOC"), ("sec", "ORG"),
                                   ("GMT", "ORG"), ("Iran", "GPE")])])
    assert list(entities.entity_mentions(annotated).text) == ["Earth", "Iran"]
    # an all lower-case wire story keeps its names
    lower = make(nlp, [("manuel azpurua said so. azpurua left.",
                        [("manuel azpurua", "PERSON"), ("azpurua", "PERSON")])])
    assert set(entities.entity_mentions(lower).canonical) == {"manuel azpurua"}


@pytest.mark.model
def test_issue_two_line_repro_with_the_model(tmp_path):
    import analystkit as ak

    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    (tmp_path / "a.txt").write_text("President George W. Bush met Tony Blair in London on "
                                    "Tuesday.\n")
    (tmp_path / "b.txt").write_text("President George W Bush said on Monday that talks would "
                                    "continue.\n")
    (tmp_path / "c.txt").write_text("Bush said the talks went well.\n")
    annotated = ak.annotate(ak.load_corpus(tmp_path), cache_dir=tmp_path / "cache")
    mentions = entities.entity_mentions(annotated)
    assert (mentions.groupby("entity_id")["canonical"].nunique() == 1).all()
    bush = mentions[mentions.text.str.contains("Bush")]
    assert len(bush) == 3 and set(bush.canonical) == {"George W. Bush"}


def test_a_body_named_with_its_country_elsewhere_keeps_that_country(nlp):
    corpus = [
        ("The U.S. Air Force ordered tankers. The Air Force paid.",
         [("U.S. Air Force", "ORG"), ("Air Force", "ORG")]),
        ("In Iraq, near Fallujah in Iraq, the Air Force struck, a U.S. officer said.",
         [("Iraq", "GPE"), ("Fallujah", "GPE"), ("Iraq", "GPE"), ("Air Force", "ORG"),
          ("U.S.", "GPE")]),
        ("The Air Force bought planes. Later the Italian Air Force did too.",
         [("Air Force", "ORG"), ("Italian Air Force", "ORG")]),
    ]
    mentions = entities.entity_mentions(make(nlp, corpus))
    air = mentions[mentions.text.str.contains("Air Force")]
    # the third document's first "Air Force" has no country before it: left out, not guessed
    assert air.entity_id.tolist() == ["us_air_force"] * 3 + ["italy.air_force"]
    assert air.doc_id.tolist() == ["d0", "d0", "d1", "d2"]


def test_a_company_named_with_its_legal_form_is_its_own_entity(nlp):
    corpus = [
        ("Sears, Roebuck and Co said sales rose. Sears said so.",
         [("Sears, Roebuck and Co", "ORG"), ("Sears", "ORG")]),
        ("Sears Plc of Britain said Sears would sell shoes.",
         [("Sears Plc", "ORG"), ("Britain", "GPE"), ("Sears", "ORG")]),
        ("Acme Canada Ltd and Canada Inc merged in Canada.",
         [("Canada Ltd", "ORG"), ("Canada Inc", "ORG"), ("Canada", "GPE")]),
        ("Co Ltd said so.", [("Co Ltd", "ORG")]),
        ("New York Corp said so.", [("New York Corp", "ORG")]),
        ("talks in new york ended.", [("new york", "GPE")]),  # lower-case wire copy
    ]
    mentions = entities.entity_mentions(make(nlp, corpus))
    assert mentions[mentions.doc_id == "d4"].entity_id.tolist() \
        != mentions[mentions.doc_id == "d5"].entity_id.tolist()
    by_doc = mentions.groupby("doc_id")["canonical"].apply(set).to_dict()
    assert by_doc["d0"] == {"Sears, Roebuck and Co"}
    assert by_doc["d1"] == {"Sears Plc", "United Kingdom"}
    canada = mentions[mentions.doc_id == "d2"].set_index("text")
    assert canada.loc["Canada", "entity_id"] == "canada"
    assert canada.loc["Canada Inc", "label"] == "ORG" != canada.loc["Canada", "label"]
    assert "d3" not in by_doc  # a legal form alone is not a name


def test_a_badly_cut_span_does_not_become_the_canonical_name(nlp):
    text = ("EADS Paris.--European Aeronautic Defense & Space Co. bid. EADS won. "
            "EADS said so.")
    annotated = make(nlp, [(text, [("EADS Paris.--European Aeronautic Defense & Space Co.",
                                    "ORG"), ("EADS", "ORG"), ("EADS", "ORG")])])
    mentions = entities.entity_mentions(annotated)
    assert mentions.entity_id.nunique() == 1 and set(mentions.canonical) == {"EADS"}


MINI_CORPUS = {
    "a.txt": "The wave destroyed much of Banda Aceh on Sunday. Aid reached Aceh province "
             "slowly. Secretary of State Colin Powell said the United States would help.",
    "b.txt": "Chinese President Hu Jintao met Japanese Prime Minister Junichiro Koizumi in "
             "Santiago. Mr Hu said relations were strained. Japan's Cabinet approved a new "
             "defence plan on Friday.",
    "c.txt": "Mr Hu later flew to Brazil. The Vanuatu Cabinet met in Port Vila. The Cabinet "
             "decided to switch recognition to Taiwan.",
    "d.txt": "Fires burned in Washington state. Residents of Seattle, Washington were told to "
             "stay indoors. In Spokane, Wash., schools closed. In Washington, the State "
             "Department said Powell would travel.",
    "e.txt": "Kmart Holding Corp. will buy Sears, Roebuck and Co. for $11 billion and form "
             "Sears Holdings Corp. Sears shares rose. Sears Holdings will be the third largest "
             "retailer.",
    "f.txt": "Vienna mayor Michael Häupl won the election. Häupl said the Social Democrats "
             "were strong.",
    "g.txt": "Saddam Hussein appeared in court. Saddam shouted at the judge.",
    "h.txt": "Saddam's lawyers objected.",
}


@pytest.mark.model
def test_corpus_rules_with_the_model(tmp_path):
    import analystkit as ak

    try:
        ak.load_model()
    except ak.ModelNotFoundError:
        pytest.skip("English pipeline not installed")
    for name, text in MINI_CORPUS.items():
        (tmp_path / name).write_text(text + "\n")
    annotated = ak.annotate(ak.load_corpus(tmp_path), cache_dir=tmp_path / "cache")
    mentions = entities.entity_mentions(annotated)
    mentions["file"] = mentions.doc_id.str[0]
    assert (mentions.groupby("entity_id")["canonical"].nunique() == 1).all()
    ids = mentions.groupby("file")["entity_id"].apply(list).to_dict()
    assert {"banda_aceh", "aceh"} <= set(ids["a"])
    assert "state" not in {t.lower() for t in mentions[mentions.file == "a"].text}
    assert set(mentions[mentions.text.isin(["Hu", "Mr Hu"])].canonical) == {"Hu Jintao"}
    assert "japan.cabinet" in ids["b"] and ids["c"].count("vanuatu.cabinet") == 2
    washington = mentions[(mentions.file == "d") & mentions.text.str.startswith("Wash")]
    assert washington.entity_id.tolist() == ["washington_state"] * 3 + ["washington_dc"]
    sears = mentions[mentions.text == "Sears"]
    assert len(sears) == 1 and sears.entity_id.iloc[0] == "sears_roebuck"
    assert "michael_haupl" in ids["f"]
    assert set(mentions[mentions.file.isin(["g", "h"])].canonical) == {"Saddam Hussein"}


def test_the_house_after_the_us_house_is_the_us_house(nlp):
    corpus = [("The U.S. House passed the bill. The House then adjourned.",
               [("U.S. House", "ORG"), ("House", "ORG")]),
              ("Britain's House of Commons debated. The House rose late.",
               [("Britain", "GPE"), ("House of Commons", "ORG"), ("House", "ORG")])]
    mentions = entities.entity_mentions(make(nlp, corpus))
    house = mentions[mentions.text == "House"].set_index("doc_id").entity_id
    assert house["d0"] == "us_house_of_representatives"
    assert house["d1"] == "united_kingdom.house"


def test_an_organisation_mention_links_to_a_person_only_in_its_document(nlp):
    corpus = [("James G. Roche spoke. Roche left.",
               [("James G. Roche", "PERSON"), ("Roche", "ORG")]),
              ("Roche raised its drug prices.", [("Roche", "ORG")]),
              ("Roche said he would resign.", [("Roche", "PERSON")])]
    mentions = entities.entity_mentions(make(nlp, corpus))
    canonical = mentions.set_index("doc_id").canonical
    assert canonical["d0"].tolist() == ["James G. Roche"] * 2
    assert canonical["d1"] == "Roche" and canonical["d2"] == "James G. Roche"


def ids(mentions: pd.DataFrame) -> dict[str, set[str]]:
    """Entity ids of each surface text."""
    return mentions.groupby("text")["entity_id"].agg(set).to_dict()


def test_a_context_row_short_form_needs_support_in_its_document(nlp):
    annotated = make(nlp, [
        ("The SAF office approved it. SAF staff agreed.", [("SAF", "ORG"), ("SAF", "ORG")]),
        ("SAF troops shelled Khartoum.", [("SAF", "ORG"), ("Khartoum", "GPE")]),
        ("The Sudanese Armed Forces said the SAF won.",
         [("The Sudanese Armed Forces", "ORG"), ("SAF", "ORG")]),
    ])
    mentions = entities.entity_mentions(annotated)
    by_doc = mentions[mentions.text == "SAF"].groupby("doc_id")["entity_id"].agg(set)
    assert by_doc["d0"] == {"saf"}  # the Secretary of the Air Force: its own entity
    assert by_doc["d1"] == {"sudanese_armed_forces"}  # a context word: Khartoum
    assert by_doc["d2"] == {"sudanese_armed_forces"}  # the long form in the document


def test_a_surname_of_a_context_row_is_the_person_of_the_document(nlp):
    annotated = make(nlp, [
        ("Allan Wagner, Peru's minister, spoke. Wagner said talks go on.",
         [("Allan Wagner", "PERSON"), ("Peru", "GPE"), ("Wagner", "ORG")]),
        ("Wagner mercenaries left Mali.", [("Wagner", "ORG"), ("Mali", "GPE")]),
    ])
    mentions = entities.entity_mentions(annotated)
    wagner = mentions[mentions.text == "Wagner"].set_index("doc_id")["entity_id"]
    assert wagner["d0"] == "allan_wagner" and wagner["d1"] == "wagner_group"


def test_an_unsupported_acronym_joins_its_expansion_in_the_document(nlp):
    text = ("MIT opened a lab. The Massachusetts Institute of Technology (MIT) is in "
            "Cambridge. MIT said so.")
    annotated = make(nlp, [(text, [("MIT", "ORG"),
                                   ("The Massachusetts Institute of Technology", "ORG"),
                                   ("MIT", "ORG"), ("Cambridge", "GPE"), ("MIT", "ORG")])])
    mentions = entities.entity_mentions(annotated)
    assert ids(mentions)["MIT"] == ids(mentions)["Massachusetts Institute of Technology"]
    assert "mit_turkey" not in set(mentions.entity_id)
    turkish = make(nlp, [("MIT agents detained him in Ankara.", [("MIT", "ORG"),
                                                                 ("Ankara", "GPE")])])
    assert ids(entities.entity_mentions(turkish))["MIT"] == {"mit_turkey"}


def test_a_bare_body_does_not_join_an_unsupported_acronym(nlp):
    annotated = make(nlp, [
        ("From: SAF/OS. The SAF wants tankers. SAF agreed.",
         [("SAF", "ORG"), ("SAF", "ORG"), ("SAF", "ORG")]),
        ("Sudan and Chad and Niger and Mali met. The Armed Forces paraded.",
         [("Sudan", "GPE"), ("Chad", "GPE"), ("Niger", "GPE"), ("Mali", "GPE"),
          ("The Armed Forces", "ORG")]),
    ])
    mentions = entities.entity_mentions(annotated)
    assert "sudanese_armed_forces" not in set(mentions.entity_id)


def test_context_column_is_optional_and_read_from_analyst_files(nlp, tmp_path):
    from analystkit.aliases import load_alias_table

    plain = tmp_path / "plain.csv"
    plain.write_text("entity_id,canonical,label,aliases,demonyms,ambiguous\n"
                     "acme,Acme Corporation,ORG,ACM,,0\n")
    assert load_alias_table(plain).entities["acme"].context == ()
    assert load_alias_table().entities["isi"].context  # shipped rows carry it
    gated = tmp_path / "gated.yaml"
    gated.write_text("- entity_id: acme\n  canonical: Acme Corporation\n  label: ORG\n"
                     "  aliases: [ACM]\n  context: [anvil, anvils]\n")
    annotated = make(nlp, [("ACM shipped anvils.", [("ACM", "ORG")]),
                           ("ACM met in New York.", [("ACM", "ORG"), ("New York", "GPE")])])
    acm = entities.entity_mentions(annotated, aliases=gated)
    acm = acm[acm.text == "ACM"].set_index("doc_id")["entity_id"]
    assert acm["d0"] == "acme" and acm["d1"] != "acme"
    plain_acm = entities.entity_mentions(annotated, aliases=plain)
    assert set(plain_acm[plain_acm.text == "ACM"].entity_id) == {"acme"}


def test_surname_before_the_full_name_and_spelling_variants_join(nlp):
    text = ("Ms. Druyun resigned. Darlene Druyun had worked there. Darleen Druyun "
            "denied it. Darleen Druyun left. Darlene called. Mark Smith and Mary Smith came.")
    annotated = make(nlp, [(text, [("Ms. Druyun", "PERSON"), ("Darlene Druyun", "PERSON"),
                                   ("Darleen Druyun", "PERSON"), ("Darleen Druyun", "PERSON"),
                                   ("Darlene", "PERSON"), ("Mark Smith", "PERSON"),
                                   ("Mary Smith", "PERSON")])])
    mentions = entities.entity_mentions(annotated)
    druyun = mentions[mentions.text.str.contains("Dr|Darl", regex=True)]
    assert set(druyun.entity_id) == {"darleen_druyun"}  # the more frequent spelling
    assert ids(mentions)["Mark Smith"] != ids(mentions)["Mary Smith"]  # other names


def test_a_surname_with_another_label_joins_the_one_person_of_that_name(nlp):
    annotated = make(nlp, [
        ("Bob Geldof sang. Stars joined Geldof on stage.",
         [("Bob Geldof", "PERSON"), ("Geldof", "ORG")]),
        ("Alfred Nobel died. The Nobel went to her.",
         [("Alfred Nobel", "PERSON"), ("Nobel", "WORK_OF_ART")]),
        ("John Reid and Harry Reid met. Reid spoke.",
         [("John Reid", "PERSON"), ("Harry Reid", "PERSON"), ("Reid", "ORG")]),
    ])
    mentions = entities.entity_mentions(annotated)
    assert ids(mentions)["Geldof"] == {"bob_geldof"}
    assert ids(mentions)["Nobel"] != {"alfred_nobel"}  # a prize named after him
    assert ids(mentions)["Reid"] == {"reid"}  # two people: apart


def test_all_caps_dateline_folds_into_the_title_case_entity(nlp):
    annotated = make(nlp, [("WASHINGTON - Officials in Washington met. NEW YORK too. SAF met.",
                            [("WASHINGTON", "GPE"), ("Washington", "GPE"),
                             ("NEW YORK", "GPE"), ("SAF", "ORG")])])
    found = ids(entities.entity_mentions(annotated))
    assert found["WASHINGTON"] == found["Washington"] == {"washington_dc"}
    assert found["NEW YORK"] == {"new_york_city"}
    assert found["SAF"] == {"saf"}  # three letters: an acronym, not "Saf"


def test_a_bare_first_name_joins_the_one_person_it_fits(nlp):
    annotated = make(nlp, [
        ("James Roche wrote. Thanks, Jim. Mike Wynne and Michael Sears replied. Mike agreed.",
         [("James Roche", "PERSON"), ("Jim", "PERSON"), ("Mike Wynne", "PERSON"),
          ("Michael Sears", "PERSON"), ("Mike", "PERSON")]),
        ("James Roche and Jim Albaugh met. Jim left. Marv Sambur stayed. Marv laughed.",
         [("James Roche", "PERSON"), ("Jim Albaugh", "PERSON"), ("Jim", "PERSON"),
          ("Marv Sambur", "PERSON"), ("Marv", "ORG")]),
        ("James Roche and James Rivard met. Jim left.",
         [("James Roche", "PERSON"), ("James Rivard", "PERSON"), ("Jim", "PERSON")]),
    ])
    mentions = entities.entity_mentions(annotated, link_across_documents=False)
    jim = mentions[mentions.text == "Jim"].set_index("doc_id")["entity_id"]
    assert jim["d0"] == "james_roche"  # the one James of the document
    assert jim["d1"] == "jim_albaugh"  # the one written "Jim" in the document
    assert jim["d2"] == "jim"  # two Jameses: apart
    assert ids(mentions)["Mike"] == {"mike_wynne"}  # written "Mike Wynne" in the document
    assert ids(mentions)["Marv"] == {"marv_sambur"}  # tagged ORG, a given name


def test_transcript_labels_are_not_people(nlp):
    annotated = make(nlp, [("QUESTION: Will you go? BOUCHER: We will see. QUESTION: When?",
                            [("QUESTION", "PERSON"), ("BOUCHER", "PERSON"),
                             ("QUESTION", "PERSON")])])
    mentions = entities.entity_mentions(annotated)
    named = mentions.dropna(subset=["entity_id"])
    assert "QUESTION" not in set(named["text"]) and "BOUCHER" in set(named["text"])
