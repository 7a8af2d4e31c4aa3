"""The catalogue in the browser: countries, authorities with their reply rule, demands and sets.

Coordinators add their group's own entries and may override a shipped entry for their group;
the shipped data is never changed.
"""

# The checks' views register on the directory's blueprint when the package is imported.
from . import checks as _checks  # noqa: E402,F401
