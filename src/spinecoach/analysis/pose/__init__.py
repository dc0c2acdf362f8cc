"""Pose metrics: geometry, kinematic signals, repetitions and holds."""
