"""Readers of recordings: landmark and skeleton files, and videos through MediaPipe.

``read_recording(path, format="auto")`` detects the format from the content (JSON keys, values
per row) with the file name as a hint, and every reader returns a
:class:`~spinecoach.analysis.timeseries.LandmarkSeries` in the common convention. Modules are
imported when their format is used: reading a CSV never loads MediaPipe or ezc3d.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from spinecoach.adapters.sensors.files import first_row_width, read_json
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput

# --format name -> (module, function) that reads it.
FORMATS: dict[str, tuple[str, str]] = {
    "blazepose-json": ("keraal", "read_blazepose"),
    "kinect-keraal": ("keraal", "read_kinect"),
    "vicon-keraal": ("keraal", "read_vicon"),
    "openpose-json": ("openpose", "read"),
    "uiprmd-kinect": ("uiprmd", "read"),
    "c3d": ("c3d", "read"),
    "landmarks-csv": ("landmarks_csv", "read"),
    "video": ("video", "read"),
}
VIDEO_SUFFIXES = (".avi", ".mp4", ".mov", ".mkv", ".webm", ".m4v")
_WIDTH_FORMATS = {175: "kinect-keraal", 119: "vicon-keraal"}
UIPRMD_COLUMNS = 66


def _reader(name: str) -> Callable[..., LandmarkSeries]:
    module, function = FORMATS[name]
    loaded = importlib.import_module(f"spinecoach.adapters.sensors.{module}")
    reader: Callable[..., LandmarkSeries] = getattr(loaded, function)
    return reader


def detect_format(path: Path) -> str:
    """The ``--format`` name of a file, from its content; one-line error when it is unknown."""
    if not path.exists():
        raise InvalidInput(str(path), "no such file")
    suffix = path.suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return "video"
    if path.is_dir():
        if any(path.glob("*.json")):
            return "openpose-json"
        raise InvalidInput(str(path), "is a folder without OpenPose .json frame files")
    if suffix == ".c3d":
        return "c3d"
    if path.stat().st_size == 0:
        raise InvalidInput(str(path), "is empty")
    from spinecoach.adapters.sensors import c3d, landmarks_csv

    if landmarks_csv.sniff(path):
        return "landmarks-csv"
    if c3d.sniff(path):
        return "c3d"
    if suffix == ".json" or _starts_with_brace(path):
        data = read_json(path)
        if isinstance(data, dict) and "people" in data:
            return "openpose-json"
        positions = data.get("positions") if isinstance(data, dict) else None
        if isinstance(positions, dict) and positions:
            first = next(iter(positions.values()))
            if isinstance(first, dict) and any(
                isinstance(v, list) and len(v) == 2 for v in first.values()
            ):
                return "openpose-json"
            return "blazepose-json"
    if first_row_width(path, ",") == UIPRMD_COLUMNS:
        return "uiprmd-kinect"
    width = first_row_width(path)
    if width in _WIDTH_FORMATS:
        return _WIDTH_FORMATS[width]
    raise InvalidInput(
        str(path),
        "unknown recording format; name it with --format (" + ", ".join(FORMATS) + ")",
    )


def _starts_with_brace(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(64).lstrip().startswith(b"{")
    except OSError:
        return False


def read_recording(
    path: Path,
    *,
    format: str = "auto",
    model: str = "full",
    progress: Callable[[int, int], None] | None = None,
    mirrored: bool = False,
) -> LandmarkSeries:
    """Read any supported recording as a landmark series (InvalidInput on a bad file).
    ``model``, ``progress`` and ``mirrored`` apply to videos."""
    name = detect_format(path) if format == "auto" else format
    if name not in FORMATS:
        raise InvalidInput(
            "--format", f"expected auto or one of {', '.join(FORMATS)}, got {name!r}"
        )
    if not path.exists():
        raise InvalidInput(str(path), "no such file")
    reader = _reader(name)
    try:
        if name == "video":
            return reader(path, model=model, progress=progress, mirrored=mirrored)
        return reader(path)
    except AnalysisError as error:
        raise InvalidInput(f"{path}: {error.field}", error.problem) from None
