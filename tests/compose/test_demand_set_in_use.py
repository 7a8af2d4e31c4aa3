"""The demands step shows the demand set the draft is using, not the first set of the list."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask

from letterkit.catalogue import get_catalogue
from letterkit.compose.demand_sets import InUse, set_in_use
from tests.compose.conftest import make_draft
from tests.conftest import Client, login


def _selected(page: str) -> list[str]:
    select = re.search(r'<select id="demand_set".*?</select>', page, re.S)
    assert select
    return re.findall(r'<option value="([^"]+)" selected', select.group(0))


def test_the_set_in_use_is_selected_and_said(
    app: Flask, group_with_details, client: Client
) -> None:
    catalogue = get_catalogue()
    sets = list(catalogue.demand_sets.values())
    used = sets[-1]  # not the first: the browser would show the first one otherwise
    assert used.slug != sets[0].slug
    login(client, group_with_details)
    letter_id = make_draft(app, group_with_details, demand_slugs=list(reversed(used.slugs)))
    page = html.unescape(client.get(f"/letters/{letter_id}/demands").get_data(as_text=True))
    assert _selected(page) == [used.slug]
    assert f"The demands below are the set “{used.title('en').text}”." in page

    changed = make_draft(app, group_with_details, demand_slugs=list(used.slugs)[:-1])
    page = html.unescape(client.get(f"/letters/{changed}/demands").get_data(as_text=True))
    assert _selected(page) == [used.slug] or len(used.slugs) == 1
    assert "with changes" in page

    none = make_draft(app, group_with_details, demand_slugs=[])
    page = client.get(f"/letters/{none}/demands").get_data(as_text=True)
    assert _selected(page) == [] and 'id="demand-set-in-use"' not in page


@pytest.mark.parametrize(
    ("slugs", "expected"),
    [
        ([], None),
        (["a", "b"], InUse("ab", changed=False)),
        (["b", "a"], InUse("ab", changed=False)),
        (["a", "b", "c"], InUse("abc", changed=False)),
        (["a"], InUse("ab", changed=True)),  # ties go to the first set
        (["c", "d"], InUse("abc", changed=True)),
        (["z"], None),
    ],
)
def test_set_in_use(slugs: list[str], expected: InUse | None) -> None:
    class Set:
        def __init__(self, slug: str) -> None:
            self.slug, self.slugs = slug, tuple(slug)

    sets = [Set("ab"), Set("abc")]
    assert set_in_use(slugs, sets) == expected  # type: ignore[arg-type]
