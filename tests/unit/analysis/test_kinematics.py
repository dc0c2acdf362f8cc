"""Forward kinematics: known answers and preserved bone lengths."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecoach.analysis.kinematics import euler_to_matrix, forward_kinematics

PARENTS = (-1, 0, 1)


def _chain(angles: np.ndarray) -> np.ndarray:
    offsets = np.array([[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]])
    world = forward_kinematics(np.zeros((1, 3)), offsets, angles[None], PARENTS, "zxy")
    return np.asarray(world[0])


def test_identity_rotations_add_the_offsets() -> None:
    world = _chain(np.zeros((3, 3)))
    np.testing.assert_allclose(world, [[0, 0, 0], [1, 0, 0], [2, 0, 0]], atol=1e-12)


def test_a_root_turned_90_degrees_about_z_turns_the_whole_chain() -> None:
    angles = np.zeros((3, 3))
    angles[0, 2] = 90.0
    np.testing.assert_allclose(_chain(angles), [[0, 0, 0], [0, 1, 0], [0, 2, 0]], atol=1e-12)


def test_a_middle_joint_bends_only_what_follows_it() -> None:
    angles = np.zeros((3, 3))
    angles[1, 2] = 90.0  # the second joint's own frame turns; its child goes up
    np.testing.assert_allclose(_chain(angles), [[0, 0, 0], [1, 0, 0], [1, 1, 0]], atol=1e-12)


def test_euler_order_is_intrinsic_in_the_given_sequence() -> None:
    angles = np.array([30.0, 40.0, 50.0])
    zxy = euler_to_matrix(angles, "zxy")
    rz = euler_to_matrix(np.array([0.0, 0.0, 50.0]), "xyz")
    rx = euler_to_matrix(np.array([30.0, 0.0, 0.0]), "xyz")
    ry = euler_to_matrix(np.array([0.0, 40.0, 0.0]), "xyz")
    np.testing.assert_allclose(zxy, rz @ rx @ ry, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-180, 180), min_size=9, max_size=9))
def test_bone_lengths_are_preserved_by_any_rotation(values: list[float]) -> None:
    world = _chain(np.array(values).reshape(3, 3))
    np.testing.assert_allclose(np.linalg.norm(np.diff(world, axis=0), axis=1), [1, 1], atol=1e-9)
