"""The Babel extractor finds every user-facing text of ``rules.toml``, and babel.cfg uses it."""

from __future__ import annotations

import io
import tomllib
from importlib import resources
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from letterkit.deadlines.babel_extract import extract
from letterkit.deadlines.rulefile import translatable_texts

ROOT = Path(__file__).resolve().parents[2]
RULES = resources.files("letterkit.deadlines").joinpath("rules.toml")


def extracted() -> list[str]:
    """The messages the extractor yields for the shipped rules file."""
    fileobj = io.BytesIO(RULES.read_bytes())
    return [message for _, _, message, _ in extract(fileobj, ["N_"], [], {})]


def test_the_extractor_yields_exactly_the_user_facing_texts_of_the_rules_file() -> None:
    expected = translatable_texts(tomllib.loads(RULES.read_text("utf-8")))
    assert extracted() == expected
    assert len(set(expected)) == len(expected) > 60


def test_the_extractor_gives_the_line_of_each_text() -> None:
    lines = RULES.read_text("utf-8").splitlines()
    for lineno, funcname, message, comments in extract(
        io.BytesIO(RULES.read_bytes()), ["N_"], [], {}
    ):
        assert funcname is None and comments == []
        assert message in lines[lineno - 1] or lineno == 1


def test_babel_cfg_extracts_the_rules_file_with_it() -> None:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {
        message
        for filename, _, message, _, _ in extract_from_dir(
            str(ROOT), method_map, options_map, keywords={"_l": None, "N_": None}
        )
        if filename == "letterkit/deadlines/rules.toml"
    }
    assert found == set(extracted())
