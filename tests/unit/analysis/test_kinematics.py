"""Forward kinematics: known answers, Euler composition order, preserved bone lengths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.kinematics import axis_rotation, euler_to_matrix, forward_kinematics

CHAIN = (-1, 0, 1)
# A small tree: root, two branches of two bones each.
TREE = (-1, 0, 1, 0, 3)
UNIT_X = np.array([[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]])


def _chain(angles: np.ndarray, order: str = "zxy") -> np.ndarray:
    world = forward_kinematics(np.zeros((1, 3)), UNIT_X, angles[None], parents=CHAIN, order=order)
    return np.asarray(world[0])


def test_identity_rotations_add_the_offsets_along_the_tree() -> None:
    offsets = np.array([[[5, 0, 0], [0, 1, 0], [0, 2, 0], [1, 0, 0], [0, 0, 3]]], dtype=float)
    world = forward_kinematics(
        np.array([[5.0, 0.0, 0.0]]), offsets, np.zeros((1, 5, 3)), parents=TREE, order="zxy"
    )
    np.testing.assert_allclose(
        world[0], [[5, 0, 0], [5, 1, 0], [5, 3, 0], [6, 0, 0], [6, 0, 3]], atol=1e-12
    )


def test_a_two_bone_chain_turned_90_degrees_at_the_root_turns_as_a_whole() -> None:
    angles = np.zeros((3, 3))
    angles[0, 2] = 90.0  # about z: +x goes to +y
    np.testing.assert_allclose(_chain(angles), [[0, 0, 0], [0, 1, 0], [0, 2, 0]], atol=1e-12)


def test_a_middle_joint_bends_only_what_follows_it() -> None:
    angles = np.zeros((3, 3))
    angles[1, 1] = 90.0  # about y: +x goes to -z
    np.testing.assert_allclose(_chain(angles), [[0, 0, 0], [1, 0, 0], [1, 0, -1]], atol=1e-12)


def test_relative_rotations_accumulate_down_the_chain() -> None:
    angles = np.zeros((3, 3))
    angles[0, 2] = 90.0
    angles[1, 2] = 90.0  # the second bone points along -x after two quarter turns
    np.testing.assert_allclose(_chain(angles), [[0, 0, 0], [0, 1, 0], [-1, 1, 0]], atol=1e-12)


def test_the_order_says_which_turn_comes_first() -> None:
    angles = np.array([90.0, 90.0, 0.0])  # 90° about x and 90° about y
    # R_x · R_y takes +x first to -z (R_y), then -z to +y (R_x).
    np.testing.assert_allclose(
        euler_to_matrix(angles, order="zxy") @ [1, 0, 0], [0, 1, 0], atol=1e-12
    )
    # R_y · R_x leaves +x alone (R_x), then takes it to -z (R_y).
    np.testing.assert_allclose(
        euler_to_matrix(angles, order="yxz") @ [1, 0, 0], [0, 0, -1], atol=1e-12
    )


def test_columns_stay_x_y_z_whatever_the_order() -> None:
    angles = np.array([30.0, 40.0, 50.0])
    expected = (
        axis_rotation(np.array(50.0), axis="z")
        @ axis_rotation(np.array(30.0), axis="x")
        @ axis_rotation(np.array(40.0), axis="y")
    )
    np.testing.assert_allclose(euler_to_matrix(angles, order="zxy"), expected, atol=1e-12)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: euler_to_matrix(np.zeros(3), order="xxy"), "order"),
        (lambda: axis_rotation(np.zeros(1), axis="w"), "axis"),
        (
            lambda: forward_kinematics(
                np.zeros((1, 3)),
                np.zeros((1, 3, 3)),
                np.zeros((1, 3, 3)),
                parents=(-1, 2, 1),
                order="zxy",
            ),
            "parents",
        ),
        (
            lambda: forward_kinematics(
                np.zeros((1, 3)),
                np.zeros((1, 2, 3)),
                np.zeros((1, 3, 3)),
                parents=CHAIN,
                order="zxy",
            ),
            "local_offsets",
        ),
        (
            lambda: forward_kinematics(
                np.zeros((2, 3)),
                np.zeros((1, 3, 3)),
                np.zeros((1, 3, 3)),
                parents=CHAIN,
                order="zxy",
            ),
            "root_positions",
        ),
    ],
)
def test_bad_input_names_the_field(call: object, field: str) -> None:
    with pytest.raises(AnalysisError) as error:
        call()  # type: ignore[operator]
    assert error.value.field == field


FRAMES = 4
_angles = arrays(np.float64, (FRAMES, 5, 3), elements=st.floats(-360, 360))
_offsets = arrays(np.float64, (FRAMES, 5, 3), elements=st.floats(-50, 50))


@settings(max_examples=60, deadline=None)
@given(_angles, _offsets, st.sampled_from(["xyz", "xzy", "yxz", "yzx", "zxy", "zyx"]))
def test_bone_lengths_are_preserved_by_any_rotation(
    angles: np.ndarray, offsets: np.ndarray, order: str
) -> None:
    world = forward_kinematics(offsets[:, 0], offsets, angles, parents=TREE, order=order)
    bones = world[:, 1:] - world[:, list(TREE[1:])]
    np.testing.assert_allclose(
        np.linalg.norm(bones, axis=2), np.linalg.norm(offsets[:, 1:], axis=2), atol=1e-9
    )
    np.testing.assert_allclose(world[:, 0], offsets[:, 0])


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (6, 3), elements=st.floats(-720, 720)))
def test_rotation_matrices_are_proper_rotations(angles: np.ndarray) -> None:
    matrices = euler_to_matrix(angles, order="zxy")
    np.testing.assert_allclose(
        matrices @ np.swapaxes(matrices, 1, 2), np.broadcast_to(np.eye(3), (6, 3, 3)), atol=1e-12
    )
    np.testing.assert_allclose(np.linalg.det(matrices), 1.0, atol=1e-12)
