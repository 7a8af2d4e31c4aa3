"""The service layer: what several features share, below all of them.

- :mod:`~letterkit.services.catalogue`: the catalogue as a group sees it;
- :mod:`~letterkit.services.letters`: building a letter, reference numbers, finalising;
- :mod:`~letterkit.services.drafts`: drafts, changed by a patch of only the parts that change;
- :mod:`~letterkit.services.annexes`: signatures as a letter's annex, and their counts;
- :mod:`~letterkit.services.holders`: who holds an authority's office, as each group knows it;
- :mod:`~letterkit.services.letterheads`, :mod:`~letterkit.services.countries`,
  :mod:`~letterkit.services.template_fields`: a group's letterhead, signers' countries, the form
  fields of a template's own fields.

It imports models, core and the pure layers, never a feature (``pyproject.toml`` declares the
layers; ``tests/test_architecture.py`` checks them). Verbs flush; the request commits.
"""
