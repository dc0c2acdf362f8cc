"""Forward kinematics: world positions of a joint chain from local offsets and Euler angles.

Skeleton files in the BVH tradition (UI-PRMD's Kinect data among them) store each joint as an
offset in its parent's frame plus a rotation of its own frame relative to the parent's. The
world position of a joint is its parent's position plus the parent's world rotation applied to
the joint's offset; a joint's world rotation is its parent's times its own.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import FloatArray

_AXES = {"x": 0, "y": 1, "z": 2}


def axis_rotation(axis: str, degrees: FloatArray) -> FloatArray:
    """Rotation matrices (..., 3, 3) about one coordinate axis by ``degrees`` (right-handed)."""
    angle = np.radians(degrees)
    c, s = np.cos(angle), np.sin(angle)
    matrix = np.zeros((*angle.shape, 3, 3))
    i = _AXES[axis]
    j, k = (i + 1) % 3, (i + 2) % 3
    matrix[..., i, i] = 1.0
    matrix[..., j, j] = c
    matrix[..., k, k] = c
    matrix[..., j, k] = -s
    matrix[..., k, j] = s
    return matrix


def euler_to_matrix(angles_deg: FloatArray, order: str) -> FloatArray:
    """Rotation matrices from angles (..., 3) given about x, y, z (in that column order),
    composed intrinsically in ``order`` (e.g. "yxz": R = R_y · R_x · R_z)."""
    if sorted(order) != ["x", "y", "z"]:
        raise AnalysisError("order", f"expected a permutation of 'xyz', got {order!r}")
    result = axis_rotation(order[0], angles_deg[..., _AXES[order[0]]])
    for axis in order[1:]:
        result = result @ axis_rotation(axis, angles_deg[..., _AXES[axis]])
    return result


def forward_kinematics(
    root_positions: FloatArray,
    local_offsets: FloatArray,
    euler_deg: FloatArray,
    parents: Sequence[int],
    order: str,
) -> FloatArray:
    """World positions (frames, joints, 3).

    ``root_positions`` (frames, 3) places joint 0; ``local_offsets`` (frames, joints, 3) are
    each joint's offset in its parent's frame (row 0 unused); ``euler_deg`` (frames, joints,
    3) each joint's rotation relative to its parent (joint 0: relative to the world);
    ``parents[j]`` is the parent of joint j and must come before it (``parents[0]`` = -1).
    Vectorised over frames; the loop runs over the joints of the chain.
    """
    frames, joints = euler_deg.shape[:2]
    if local_offsets.shape != (frames, joints, 3) or root_positions.shape != (frames, 3):
        raise AnalysisError("local_offsets", "shapes of root, offsets and angles disagree")
    if len(parents) != joints or parents[0] != -1:
        raise AnalysisError("parents", "give one parent per joint, -1 for the root")
    local = euler_to_matrix(euler_deg, order)
    world_rotation = np.empty_like(local)
    positions = np.empty((frames, joints, 3))
    world_rotation[:, 0] = local[:, 0]
    positions[:, 0] = root_positions
    for joint in range(1, joints):
        parent = parents[joint]
        if not 0 <= parent < joint:
            raise AnalysisError("parents", f"joint {joint}'s parent must come before it")
        positions[:, joint] = positions[:, parent] + np.einsum(
            "fij,fj->fi", world_rotation[:, parent], local_offsets[:, joint]
        )
        world_rotation[:, joint] = world_rotation[:, parent] @ local[:, joint]
    return positions
