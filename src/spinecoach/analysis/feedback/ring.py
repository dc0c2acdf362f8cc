"""A fixed-size ring buffer of recent frames: constant memory however long a session runs."""

from __future__ import annotations

import numpy as np

from spinecoach.analysis.timeseries import FloatArray


class Ring:
    """The last ``capacity`` rows of ``width`` numbers, each with its time stamp (increasing).
    Pushing is O(1); reading back the frames since a moment copies just those frames."""

    def __init__(self, capacity: int, width: int) -> None:
        self.capacity = capacity
        self._time = np.full(capacity, np.nan)
        self._rows = np.full((capacity, width), np.nan)
        self._next = 0
        self.size = 0

    def push(self, time_s: float, row: FloatArray) -> None:
        self._time[self._next] = time_s
        self._rows[self._next] = row
        self._next = (self._next + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def ordered(self) -> tuple[FloatArray, FloatArray]:
        """(time, rows) of everything held, oldest first."""
        if self.size < self.capacity:
            return self._time[: self.size], self._rows[: self.size]
        order = np.r_[self._next : self.capacity, 0 : self._next]
        return self._time[order], self._rows[order]

    def since(self, start_s: float) -> tuple[FloatArray, FloatArray]:
        """(time, rows) of the frames at or after ``start_s``, oldest first. Copies only those
        rows: the held frames are two time-ordered runs (the older one after the write
        position, the newer one before it), each searched by bisection."""
        if self.size < self.capacity:
            first = int(np.searchsorted(self._time[: self.size], start_s))
            return self._time[first : self.size], self._rows[first : self.size]
        cut = self._next
        newer = int(np.searchsorted(self._time[:cut], start_s))
        if newer > 0:
            return self._time[newer:cut], self._rows[newer:cut]
        older = cut + int(np.searchsorted(self._time[cut:], start_s))
        return (
            np.concatenate((self._time[older:], self._time[:cut])),
            np.concatenate((self._rows[older:], self._rows[:cut])),
        )

    def clear(self) -> None:
        self._next = 0
        self.size = 0
