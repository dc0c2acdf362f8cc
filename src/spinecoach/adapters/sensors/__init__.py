"""Readers of recordings: landmark and skeleton files, and videos through MediaPipe.

``read_recording(path, format="auto")`` detects the format from the content (JSON keys, values
per row, C3D header), with the folder names of the KERAAL dataset as a hint, and every reader
returns a :class:`~spinecoach.analysis.timeseries.LandmarkSeries` in the common convention
(docs/formats.md). Videos are read by :mod:`spinecoach.adapters.sensors.video`, imported only
when a video is read, so reading a CSV never loads MediaPipe (nor a C3D file's ezc3d).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spinecoach.adapters.sensors import c3d, keraal, landmarks_csv, openpose, uiprmd
from spinecoach.adapters.sensors.files import check_file, head_text, plain_suffix, row_width
from spinecoach.analysis.errors import AnalysisError
from spinecoach.analysis.timeseries import LandmarkSeries
from spinecoach.domain.errors import InvalidInput

Reader = Callable[..., LandmarkSeries]
VIDEO_SUFFIXES = (".avi", ".mp4", ".mov", ".mkv", ".webm", ".m4v")


def _video_reader() -> Reader:
    """MediaPipe pose on a video; imported here so that other formats never load it."""
    from spinecoach.adapters.sensors import video

    return video.read


def _read_video(path: Path, **options: Any) -> LandmarkSeries:
    return _video_reader()(path, **options)


# --format name -> reader. Each reader takes the path and its own keyword options.
FORMATS: dict[str, Reader] = {
    "blazepose-json": keraal.read_blazepose,
    "kinect-keraal": keraal.read_kinect,
    "vicon-keraal": keraal.read_vicon,
    "openpose-json": openpose.read,
    "uiprmd-kinect": uiprmd.read,
    "c3d": c3d.read,
    "landmarks-csv": landmarks_csv.read,
    "video": _read_video,
}
# --format name -> whether a file's content looks like it (videos go by their suffix).
_SNIFFERS: dict[str, Callable[[Path], bool]] = {
    "landmarks-csv": landmarks_csv.sniff,
    "blazepose-json": keraal.sniff_blazepose,
    "openpose-json": openpose.sniff,
    "kinect-keraal": keraal.sniff_kinect,
    "vicon-keraal": keraal.sniff_vicon,
    "uiprmd-kinect": uiprmd.sniff,
    "c3d": c3d.sniff,
}
# KERAAL's modality folders, a hint when the content alone does not decide.
_FOLDER_HINTS = {
    "skeleton_blazepose": "blazepose-json",
    "skeleton_kinect": "kinect-keraal",
    "skeleton_vicon": "vicon-keraal",
    "skeleton_openpose": "openpose-json",
}


def _format_list() -> str:
    return ", ".join(FORMATS)


def detect_format(path: Path) -> str:
    """The ``--format`` name of a recording, from its content; one line when it is unknown."""
    if not path.exists():
        raise InvalidInput(str(path), "no such file")
    if path.is_dir():
        if openpose.sniff(path):
            return "openpose-json"
        raise InvalidInput(
            str(path), "is a folder, not a recording (nor a folder of OpenPose .json frames)"
        )
    if plain_suffix(path) in VIDEO_SUFFIXES:
        return "video"
    found = [name for name, sniff in _SNIFFERS.items() if sniff(path)]
    if len(found) == 1:
        return found[0]
    hint = _folder_hint(path)
    if hint is not None and (hint in found or not found):
        return hint
    if found:
        raise InvalidInput(
            str(path), f"could be {' or '.join(found)}: name the format with --format"
        )
    head = head_text(path)
    if path.stat().st_size == 0 or (head and not head.strip()):
        raise InvalidInput(str(path), "is empty")
    raise InvalidInput(
        str(path),
        f"unknown recording format ({_describe(path)}); name it with --format: {_format_list()}",
    )


def _folder_hint(path: Path) -> str | None:
    for folder in reversed(path.parent.parts):
        hint = _FOLDER_HINTS.get(folder.lower())
        if hint is not None:
            return hint
    return None


def _describe(path: Path) -> str:
    """What the start of an unrecognised file looks like, for the error message."""
    text = head_text(path)
    if not text:
        return "binary data"
    if text.lstrip().startswith(("{", "[")):
        return "JSON without known keys"
    for separator, what in ((None, "whitespace-separated"), (",", "comma-separated")):
        width = row_width(text, separator)
        if width > 1:
            return f"{what} rows of {width} numbers"
    return "text that is neither JSON nor rows of numbers"


def read_recording(
    path: Path,
    *,
    format: str = "auto",
    model: str = "full",
    progress: Callable[[int, int], None] | None = None,
    mirrored: bool = False,
    **options: Any,
) -> LandmarkSeries:
    """Read any supported recording as a landmark series; InvalidInput (one line) on a bad file.

    ``model``, ``progress`` and ``mirrored`` apply to videos and are ignored for files (a
    KERAAL BlazePose file has its own ``swap_sides``); other ``options`` go to the format's
    reader (``rate_hz``, ``aspect_ratio``, ``vertical``, ...) and must be among its keywords.
    """
    if format != "auto" and format not in FORMATS:
        raise InvalidInput("--format", f"expected auto or one of {_format_list()}, got {format!r}")
    name = detect_format(path) if format == "auto" else format
    if not path.exists():
        raise InvalidInput(str(path), "no such file")
    if name == "video":
        options = {"model": model, "progress": progress, "mirrored": mirrored, **options}
    reader = _video_reader() if name == "video" else FORMATS[name]
    _check_options(name, reader, options)
    if name != "openpose-json":
        check_file(path)
    try:
        return reader(path, **options)
    except AnalysisError as error:
        raise InvalidInput(str(path), f"{error.field}: {error.problem}") from None


def _check_options(name: str, reader: Reader, options: dict[str, Any]) -> None:
    parameters = inspect.signature(reader).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    accepted = [p for p, spec in parameters.items() if spec.kind is inspect.Parameter.KEYWORD_ONLY]
    for option in options:
        if option not in accepted:
            raise InvalidInput(
                option,
                f"is not an option of format {name} (its options: {', '.join(accepted) or 'none'})",
            )
