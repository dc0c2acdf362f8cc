"""Forward kinematics: world positions of a joint tree from local offsets and Euler angles.

Skeleton files in the BVH tradition (UI-PRMD's Kinect data among them) store every joint but
the root as an offset in its parent's frame, plus a rotation of each joint's frame relative to
its parent's. A joint's world position is its parent's world position plus the parent's world
rotation applied to the joint's offset; a joint's world rotation is its parent's world rotation
times its own. The root's offset is its world position and its rotation is relative to the world.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray

_AXES = {"x": 0, "y": 1, "z": 2}


def axis_rotation(degrees: FloatArray, /, *, axis: str) -> FloatArray:
    """Right-handed rotation matrices (..., 3, 3) about one coordinate axis by ``degrees``.

    Active convention: the matrix turns a vector, so a positive angle about z takes +x to +y.
    """
    if axis not in _AXES:
        raise AnalysisError("axis", f"expected 'x', 'y' or 'z', got {axis!r}")
    angle = np.radians(np.asarray(degrees, dtype=np.float64))
    cos, sin = np.cos(angle), np.sin(angle)
    matrix = np.zeros((*angle.shape, 3, 3))
    i = _AXES[axis]
    j, k = (i + 1) % 3, (i + 2) % 3
    matrix[..., i, i] = 1.0
    matrix[..., j, j] = cos
    matrix[..., k, k] = cos
    matrix[..., j, k] = -sin
    matrix[..., k, j] = sin
    return matrix


def euler_to_matrix(angles_deg: FloatArray, /, *, order: str) -> FloatArray:
    """Rotation matrices (..., 3, 3) from angles (..., 3) in degrees.

    The three columns are the angles about x, y and z, always in that column order; ``order``
    says how they compose, intrinsically (each turn about the already turned axes): "zxy"
    gives R = R_z · R_x · R_y, the same matrix as extrinsic turns y, then x, then z.
    """
    if len(order) != 3 or sorted(order) != ["x", "y", "z"]:
        raise AnalysisError("order", f"expected a permutation of 'xyz', got {order!r}")
    angles = np.asarray(angles_deg, dtype=np.float64)
    if angles.ndim == 0 or angles.shape[-1] != 3:
        raise AnalysisError("angles_deg", f"expected (..., 3) angles, got shape {angles.shape}")
    result = axis_rotation(angles[..., _AXES[order[0]]], axis=order[0])
    for axis in order[1:]:
        result = result @ axis_rotation(angles[..., _AXES[axis]], axis=axis)
    return result


def _check_parents(parents: Sequence[int], joints: int) -> None:
    if len(parents) != joints:
        raise AnalysisError(
            "parents", f"expected {joints} parents (one per joint), got {len(parents)}"
        )
    if joints and parents[0] != -1:
        raise AnalysisError("parents", f"joint 0 is the root and needs parent -1, got {parents[0]}")
    for joint, parent in enumerate(parents[1:], start=1):
        if not 0 <= parent < joint:
            raise AnalysisError(
                "parents", f"joint {joint}'s parent must be an earlier joint, got {parent}"
            )


def forward_kinematics(
    root_positions: FloatArray,
    local_offsets: FloatArray,
    euler_deg: FloatArray,
    /,
    *,
    parents: Sequence[int],
    order: str,
) -> FloatArray:
    """World positions (frames, joints, 3) of a joint tree, in the unit of the offsets.

    ``root_positions`` (frames, 3) places joint 0; ``local_offsets`` (frames, joints, 3) are
    each joint's offset in its parent's frame (row 0 is not used); ``euler_deg`` (frames,
    joints, 3) is each joint's rotation relative to its parent (joint 0: relative to the world)
    as angles about x, y, z composed in ``order`` (see :func:`euler_to_matrix`); ``parents[j]``
    is joint j's parent, an earlier joint (-1 for joint 0). Vectorised over frames; the loop
    runs over the joints of the tree, which are few.
    """
    root = np.asarray(root_positions, dtype=np.float64)
    offsets = np.asarray(local_offsets, dtype=np.float64)
    angles = np.asarray(euler_deg, dtype=np.float64)
    if angles.ndim != 3 or angles.shape[2] != 3:
        raise AnalysisError("euler_deg", f"expected shape (frames, joints, 3), got {angles.shape}")
    frames, joints = angles.shape[:2]
    if offsets.shape != angles.shape:
        raise AnalysisError(
            "local_offsets", f"expected shape {angles.shape} like the angles, got {offsets.shape}"
        )
    if root.shape != (frames, 3):
        raise AnalysisError("root_positions", f"expected shape {(frames, 3)}, got {root.shape}")
    _check_parents(parents, joints)
    local = euler_to_matrix(angles, order=order)
    world_rotation = np.empty_like(local)
    positions = np.empty((frames, joints, 3))
    if joints == 0:
        return positions
    world_rotation[:, 0] = local[:, 0]
    positions[:, 0] = root
    for joint in range(1, joints):
        parent = parents[joint]
        positions[:, joint] = positions[:, parent] + np.einsum(
            "fij,fj->fi", world_rotation[:, parent], offsets[:, joint]
        )
        world_rotation[:, joint] = world_rotation[:, parent] @ local[:, joint]
    return positions
