"""Plots written to files (matplotlib, no display needed)."""

from spinecoach.adapters.plots.trajectories import plot_simulations

__all__ = ["plot_simulations"]
