"""The example campaigns are data (``campaigns/examples.toml``), complete for their targets.

Each target's letter is written in its authority's letter language (else one its country
offers): when a country's default letter language changes in ``countries.toml``, the example's
texts in that language must be added to ``examples.toml``; this test names what is missing.
"""

from __future__ import annotations

import pytest

from letterkit import documents
from letterkit.campaigns.examples import read_examples
from letterkit.catalogue import get_catalogue
from letterkit.services.languages import offered_for


@pytest.mark.parametrize("example", read_examples(), ids=lambda e: e.template)
def test_every_example_has_its_texts_in_every_language_its_targets_use(example) -> None:
    catalogue = get_catalogue()
    spec = documents.default_library().get(example.template)
    catalogue.demand_set(example.demand_set)
    required = {f.name for f in spec.fields if f.required}
    for slug in example.targets:
        authority = catalogue.authority(slug)
        language = next(lang for lang in offered_for(authority) if lang in spec.languages)
        assert language in example.fields, (
            f"examples.toml: {example.name}: no [example.fields.{language}] for {slug}"
        )
        assert required <= set(example.fields[language]), (slug, language)
        for name in example.fields[language]:
            spec.field(name)
