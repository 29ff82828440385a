"""The test helpers' copy of where placement's own rows end matches
placement's."""

from placement.objects import resource_class
from placement.objects import trait
from tests import databases


def test_custom_boundaries_match_placement():
    assert (databases.PLACEMENT_CUSTOM_RC_START ==
            resource_class.CUSTOM_ID_START)
    assert databases.PLACEMENT_CUSTOM_PREFIX == trait.CUSTOM_PREFIX
