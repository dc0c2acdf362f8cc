"""All physical tests by their id."""

from __future__ import annotations

from collections.abc import Mapping

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.physical_tests.aslr import ASLR
from spinecoach.domain.physical_tests.balance import SINGLE_LEG_STANCE
from spinecoach.domain.physical_tests.base import PhysicalTest
from spinecoach.domain.physical_tests.feedforward import FEEDFORWARD_TIMING
from spinecoach.domain.physical_tests.flexion_relaxation import FLEXION_RELAXATION
from spinecoach.domain.physical_tests.holds import BRIDGE, PLANK
from spinecoach.domain.physical_tests.luomajoki import LUOMAJOKI
from spinecoach.domain.physical_tests.mcgill import MCGILL
from spinecoach.domain.physical_tests.muscle_grades import MUSCLE_GRADES
from spinecoach.domain.physical_tests.pit import PIT
from spinecoach.domain.physical_tests.sit_to_stand import CHAIR_STAND_30S, STS5
from spinecoach.domain.physical_tests.sorensen import SORENSEN
from spinecoach.domain.registry import CaseInsensitiveRegistry

PHYSICAL_TESTS: Mapping[str, PhysicalTest] = CaseInsensitiveRegistry(
    {
        test.id: test
        for test in (
            MCGILL,
            SORENSEN,
            PLANK,
            BRIDGE,
            STS5,
            CHAIR_STAND_30S,
            ASLR,
            PIT,
            LUOMAJOKI,
            SINGLE_LEG_STANCE,
            MUSCLE_GRADES,
            FEEDFORWARD_TIMING,
            FLEXION_RELAXATION,
        )
    }
)


def get_physical_test(test_id: str) -> PhysicalTest:
    """The test with this id (case-insensitive, surrounding spaces ignored), or a clear error
    listing the known ids."""
    try:
        return PHYSICAL_TESTS[test_id]
    except KeyError:
        known = " ".join(PHYSICAL_TESTS)
        raise InvalidInput("physical_test", f"unknown id {test_id!r}; known: {known}") from None
