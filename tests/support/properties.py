"""How many examples a property test tries, under the Hypothesis profile of the run.

tests/conftest.py registers two profiles: ``dev`` (quick, the default for local runs) and ``ci``
(thorough, selected by ``HYPOTHESIS_PROFILE=ci``, which ``.ci/run`` sets). A test that needs a wider
search than the rest states its CI budget through ``examples``, so it keeps its weight relative to
the others in a quick run instead of dropping to the profile's flat default.
"""

from __future__ import annotations

from hypothesis import settings

QUICK_FLOOR = 10  # fewer than this finds little even for a quick look


def examples(ci: int) -> int:
    """``ci`` examples under the CI profile; the same share of the loaded profile's budget
    otherwise (never fewer than QUICK_FLOOR, never more than ``ci``)."""
    loaded = settings.default
    assert loaded is not None  # hypothesis always has a loaded profile
    scaled = ci * loaded.max_examples // settings.get_profile("ci").max_examples
    return min(ci, max(QUICK_FLOOR, scaled))
