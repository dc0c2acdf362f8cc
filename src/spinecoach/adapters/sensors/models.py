"""Pose models for MediaPipe's PoseLandmarker, built at install time from the npm registry.

The ``mediapipe`` wheels we use (1.2.x, numpy 2) ship no pose model, and their Tasks API would
download a ``.task`` bundle at run time - impossible offline and unwelcome for privacy. The npm
package ``@mediapipe/pose`` (pinned by ``package-lock.json``, installed by ``npm ci``; the web
app runs the same package in the browser) holds every network the landmarker needs:

* ``pose_landmark_{lite,full,heavy}.tflite``, the three landmark networks;
* ``pose_solution_packed_assets.data``, an Emscripten file package whose only file is the
  person detector ``pose_detection.tflite`` (its loader script maps bytes 0 to the end of the
  file onto that name), so the file *is* the detector.

A ``.task`` bundle is an uncompressed zip of ``pose_detector.tflite`` and
``pose_landmarks_detector.tflite`` whose input image is described by TFLite metadata: RGB, and
how pixel values are normalised, which must be what each network was trained with. The
detector sees pixels scaled to [-1, 1] (mean 127.5, std 127.5: the metadata Google ships in
the detector inside the ``mediapipe==0.10.21`` wheel; with [0, 1] it misses the person in
whole KERAAL videos), the landmark networks [0, 1] (mean 0, std 255; with [-1, 1] their
landmarks jitter twice as much). MediaPipe's own metadata writer ships in the wheel but cannot
be imported (its native part is missing), so this module writes the metadata with the
flatbuffer schemas that do ship inside ``mediapipe``.

Every input is checked against the SHA-256 recorded below before it is used; the bundles are
byte-for-byte reproducible, and a manifest beside them records what they were built from, so
a second run with nothing changed does nothing.

Run ``python -m spinecoach.adapters.sensors.models`` from the project root (``make setup``
does, after ``npm ci``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Literal

Model = Literal["lite", "full", "heavy"]
MODELS: tuple[Model, ...] = ("lite", "full", "heavy")
NPM_PACKAGE = Path("node_modules") / "@mediapipe" / "pose"
DETECTOR_FILE = "pose_solution_packed_assets.data"
# SHA-256 of the inputs in @mediapipe/pose 0.5.1675469404 (checked on every build).
SHA256 = {
    DETECTOR_FILE: "a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85",
    "pose_landmark_lite.tflite": "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61",
    "pose_landmark_full.tflite": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    "pose_landmark_heavy.tflite": (
        "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"
    ),
}
# Bump when the bundle layout or the metadata written changes: installed bundles are rebuilt.
BUILDER = 3
MANIFEST = "manifest.json"
# Pixel normalisation (mean, std) of each network's input, see the module docstring.
DETECTOR_NORMALISATION = (127.5, 127.5)
LANDMARKS_NORMALISATION = (0.0, 255.0)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed member dates make the bundles reproducible


def models_folder() -> Path:
    """Where the bundles live by default: inside the active virtual environment (``make
    clean`` removes them with it; they are never committed)."""
    return Path(sys.prefix) / "share" / "spinecoach" / "models"


def bundle_path(model: str, folder: Path | None = None) -> Path:
    return (folder or models_folder()) / f"pose_landmarker_{model}.task"


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _input(package: Path, name: str) -> bytes:
    path = package / name
    if not path.is_file():
        raise SystemExit(f"{path} is missing: run `npm ci` in the project root (make setup does)")
    content = path.read_bytes()
    actual = _sha256(content)
    if actual != SHA256[name]:
        raise SystemExit(f"{path}: SHA-256 {actual} does not match the recorded {SHA256[name]}")
    return content


def with_image_metadata(model: bytes, name: str, mean: float, std: float) -> bytes:
    """The TFLite model with metadata saying its input is an RGB image whose pixel values
    ``v`` the network sees as ``(v - mean) / std``."""
    import flatbuffers
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta
    from mediapipe.tasks.metadata import schema_py_generated as tflite

    parsed = tflite.ModelT.InitFromPackedBuf(bytearray(model), 0)
    if any(entry.name == b"TFLITE_METADATA" for entry in parsed.metadata or []):
        raise SystemExit(f"{name}: the network already carries TFLite metadata")
    image = meta.TensorMetadataT()
    image.name = "image"
    image.content = meta.ContentT()
    image.content.contentPropertiesType = meta.ContentProperties.ImageProperties
    image.content.contentProperties = meta.ImagePropertiesT()
    image.content.contentProperties.colorSpace = meta.ColorSpaceType.RGB
    normalise = meta.ProcessUnitT()
    normalise.optionsType = meta.ProcessUnitOptions.NormalizationOptions
    normalise.options = meta.NormalizationOptionsT()
    normalise.options.mean = [mean]
    normalise.options.std = [std]
    image.processUnits = [normalise]
    subgraph = meta.SubGraphMetadataT()
    subgraph.inputTensorMetadata = [image]
    subgraph.outputTensorMetadata = [meta.TensorMetadataT() for _ in parsed.subgraphs[0].outputs]
    metadata = meta.ModelMetadataT()
    metadata.name = name
    metadata.description = "MediaPipe BlazePose network from npm @mediapipe/pose"
    metadata.minParserVersion = "1.0.0"
    metadata.subgraphMetadata = [subgraph]
    builder = flatbuffers.Builder(1024)
    builder.Finish(metadata.Pack(builder), file_identifier=b"M001")
    buffer = tflite.BufferT()
    buffer.data = bytes(builder.Output())
    parsed.buffers.append(buffer)
    entry = tflite.MetadataT()
    entry.name = "TFLITE_METADATA"
    entry.buffer = len(parsed.buffers) - 1
    parsed.metadata = [*(parsed.metadata or []), entry]
    out = flatbuffers.Builder(len(model) + 4096)
    out.Finish(parsed.Pack(out), file_identifier=b"TFL3")
    return bytes(out.Output())


def _bundle(detector: bytes, landmarks: bytes) -> bytes:
    """An uncompressed zip holding the two networks under the names MediaPipe looks for."""
    with tempfile.SpooledTemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as bundle:
            for name, content in (
                ("pose_detector.tflite", detector),
                ("pose_landmarks_detector.tflite", landmarks),
            ):
                bundle.writestr(zipfile.ZipInfo(name, date_time=_ZIP_EPOCH), content)
        spool.seek(0)
        return spool.read()


def _expected_manifest() -> dict[str, object]:
    return {
        "builder": BUILDER,
        "inputs": SHA256,
        "normalisation": {
            "pose_detector": list(DETECTOR_NORMALISATION),
            "pose_landmarks_detector": list(LANDMARKS_NORMALISATION),
        },
    }


def is_current(folder: Path) -> bool:
    """Whether ``folder`` holds every bundle, built by this builder from these inputs and
    unchanged since (each bundle's SHA-256 is in the manifest)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(manifest, dict) or any(
        manifest.get(key) != value for key, value in _expected_manifest().items()
    ):
        return False
    bundles = manifest.get("bundles", {})
    for model in MODELS:
        path = bundle_path(model, folder)
        if not path.is_file() or _sha256(path.read_bytes()) != bundles.get(path.name):
            return False
    return True


def build(package: Path, folder: Path) -> list[Path]:
    """Build the bundles into ``folder`` from the npm package at ``package``, unless they are
    current. Returns the bundles written (none when nothing had to be done)."""
    if is_current(folder):
        return []
    detector = with_image_metadata(
        _input(package, DETECTOR_FILE), "pose_detector", *DETECTOR_NORMALISATION
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)  # no manifest while the bundles are changing
    bundles: dict[str, str] = {}
    written = []
    for model in MODELS:
        landmarks = with_image_metadata(
            _input(package, f"pose_landmark_{model}.tflite"),
            "pose_landmarks_detector",
            *LANDMARKS_NORMALISATION,
        )
        content = _bundle(detector, landmarks)
        path = bundle_path(model, folder)
        partial = path.with_suffix(".partial")
        partial.write_bytes(content)
        partial.replace(path)
        bundles[path.name] = _sha256(content)
        written.append(path)
    manifest = {**_expected_manifest(), "bundles": bundles}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m spinecoach.adapters.sensors.models",
        description="Build the MediaPipe pose bundles from the installed npm @mediapipe/pose.",
    )
    parser.add_argument(
        "--package",
        type=Path,
        default=NPM_PACKAGE,
        help=f"the installed npm package (default: {NPM_PACKAGE})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the bundles (default: share/spinecoach/models in this environment)",
    )
    args = parser.parse_args(argv)
    folder = args.out or models_folder()
    started = time.perf_counter()
    made = build(args.package, folder)
    took = time.perf_counter() - started
    if made:
        print(f"pose models: {len(made)} bundles built in {folder} ({took:.1f} s)")
    else:
        print(f"pose models: up to date in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
