"""Notebook parameters: one declaration the notebooks agree with, checked before any run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analystkit.parameters import PARAMETERS, ParameterError, check_parameters

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob(
    "[0-9][0-9]_*.ipynb"))


def _declared(path: Path) -> dict[str, dict]:
    import papermill

    return papermill.inspect_notebook(str(path))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_parameters_cell_agrees_with_the_declaration(path: Path):
    declared = _declared(path)
    assert set(declared) <= set(PARAMETERS), (
        f"{path.name} declares {sorted(set(declared) - set(PARAMETERS))}: add them to "
        "analystkit/parameters.py")
    for name, found in declared.items():
        assert found["help"], f"{path.name}: {name} has no comment saying what it means"
        default = ast.literal_eval(found["default"])
        # the notebook's own default is a value the declaration allows (paths from notebooks/)
        check_parameters({name: default}, base_dir=path.parent)


def test_every_declared_parameter_is_used_by_a_notebook():
    used = set().union(*(_declared(path) for path in NOTEBOOKS))
    assert set(PARAMETERS) == used, set(PARAMETERS) ^ used


@pytest.mark.parametrize(("values", "message"), [
    ({"top_n": "abc"}, r'^parameter top_n="abc" refused: top_n must be an integer from 1 to'),
    ({"top_n": 0}, "top_n=0 refused"),
    ({"top_n": 2.5}, "top_n=2.5 refused"),
    ({"top_n": True}, "top_n=true refused"),
    ({"min_statements": -1}, "min_statements=-1 refused: min_statements must be an integer "
                             "of at least 1"),
    ({"window": 0}, "window=0 refused"),
    ({"merge_demonyms": "yes"}, "merge_demonyms=\"yes\" refused: .* true or false"),
    ({"polarity": "vader"}, 'must be one of "model", "lexicon"'),
    ({"color_by": None}, "color_by=null refused"),
    ({"reference_date": "2017-13-45"}, "must be a date YYYY-MM-DD or null"),
    ({"reference_date": "next tuesday"}, "reference_date"),
    ({"labels": ["GPE", "DATE"]}, "labels=.* must be entity labels"),
    ({"labels": []}, "labels=\\[\\] refused"),
    ({"labels": 3}, "labels=3 refused"),
    ({"aliases_path": "no/such/aliases.csv"}, "must be an existing file"),
    ({"no_such": 1}, "^unknown parameter 'no_such': .*known parameters: aliases_path, "),
])
def test_bad_values_are_one_line_errors_naming_the_parameter(values, message, tmp_path):
    with pytest.raises(ParameterError, match=message) as caught:
        check_parameters(values, base_dir=tmp_path)
    text = str(caught.value)
    assert "\n" not in text
    name = next(iter(values))
    if name in PARAMETERS:
        assert PARAMETERS[name].accepts() in text and PARAMETERS[name].meaning in text


def test_good_values_are_passed_on(tmp_path):
    (tmp_path / "mine.csv").write_text("entity_id,canonical\n")
    checked = check_parameters({"top_n": 500, "labels": " gpe, Org ", "reference_date":
                                "2017-06-08", "aliases_path": "mine.csv", "model": None,
                                "merge_demonyms": True, "polarity": "lexicon"},
                               base_dir=tmp_path)
    assert checked == {"top_n": 500, "labels": ["GPE", "ORG"], "reference_date": "2017-06-08",
                       "aliases_path": "mine.csv", "model": None, "merge_demonyms": True,
                       "polarity": "lexicon"}


@pytest.mark.parametrize(("name", "option"), [("corpus_path", "--seeds"), ("model", "--model")])
def test_parameters_with_their_own_option_are_refused_as_params(name, option, tmp_path):
    with pytest.raises(ParameterError, match=f"{name} is set with {option}"):
        check_parameters({name: "x"}, base_dir=tmp_path, from_options=True)
