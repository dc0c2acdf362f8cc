"""Pose models for MediaPipe's PoseLandmarker, built at install time from registry packages.

The ``mediapipe`` wheels we use (1.2.x, numpy 2) ship no pose model, and their Tasks API would
download a ``.task`` bundle at run time - impossible offline and unwelcome for privacy. The
same networks are published in two registries:

* the npm package ``@mediapipe/pose`` ships the landmark networks
  ``pose_landmark_{lite,full,heavy}.tflite`` (``npm ci`` installs it from package-lock.json);
* the PyPI wheel ``mediapipe==0.10.21`` ships the person detector ``pose_detection.tflite``
  (downloaded with ``pip download --no-deps`` and read as a zip, never installed).

A ``.task`` bundle is an uncompressed zip of ``pose_detector.tflite`` and
``pose_landmarks_detector.tflite`` whose input images are described by TFLite metadata
(normalisation mean 0, std 255: pixel values scaled to [0, 1]). This module writes that
metadata with the flatbuffer schemas that ship inside ``mediapipe`` and zips the bundles.
Every input is checked against the SHA-256 recorded below before it is used.

Run ``python -m spinecoach.adapters.sensors.models`` (``make setup`` does).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import flatbuffers

MODELS = ("lite", "full", "heavy")
DETECTOR_WHEEL = "mediapipe==0.10.21"
DETECTOR_MEMBER = "mediapipe/modules/pose_detection/pose_detection.tflite"
NPM_FOLDER = Path("node_modules") / "@mediapipe" / "pose"
# SHA-256 of the inputs, as published in the registries (checked on every build).
SHA256 = {
    "pose_detection.tflite": "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
    "pose_landmark_lite.tflite": "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61",
    "pose_landmark_full.tflite": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    "pose_landmark_heavy.tflite": (
        "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"
    ),
}


def models_folder() -> Path:
    """Where the bundles live: inside the active virtual environment, beside its packages."""
    return Path(sys.prefix) / "share" / "spinecoach" / "models"


def bundle_path(model: str) -> Path:
    return models_folder() / f"pose_landmarker_{model}.task"


def _check(name: str, content: bytes) -> bytes:
    expected = SHA256[name]
    actual = hashlib.sha256(content).hexdigest()
    if actual != expected:
        raise SystemExit(f"{name}: SHA-256 {actual} does not match the recorded {expected}")
    return content


def _with_image_metadata(model: bytes, name: str) -> bytes:
    """The TFLite model with metadata saying its input is an RGB image scaled by 1/255."""
    from mediapipe.tasks.metadata import metadata_schema_py_generated as meta
    from mediapipe.tasks.metadata import schema_py_generated as tflite

    parsed = tflite.ModelT.InitFromPackedBuf(bytearray(model), 0)
    graph = parsed.subgraphs[0]
    image = meta.TensorMetadataT()
    image.name = "image"
    image.content = meta.ContentT()
    image.content.contentPropertiesType = meta.ContentProperties.ImageProperties
    image.content.contentProperties = meta.ImagePropertiesT()
    image.content.contentProperties.colorSpace = meta.ColorSpaceType.RGB
    normalise = meta.ProcessUnitT()
    normalise.optionsType = meta.ProcessUnitOptions.NormalizationOptions
    normalise.options = meta.NormalizationOptionsT()
    normalise.options.mean = [0.0]
    normalise.options.std = [255.0]
    image.processUnits = [normalise]
    subgraph = meta.SubGraphMetadataT()
    subgraph.inputTensorMetadata = [image]
    subgraph.outputTensorMetadata = [meta.TensorMetadataT() for _ in graph.outputs]
    metadata = meta.ModelMetadataT()
    metadata.name = name
    metadata.version = "spinecoach"
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


def _detector(cache: Path) -> bytes:
    wheels = sorted(cache.glob("mediapipe-0.10.21-*.whl"))
    if not wheels:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                str(cache),
                DETECTOR_WHEEL,
            ],
            check=True,
        )
        wheels = sorted(cache.glob("mediapipe-0.10.21-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        return _check("pose_detection.tflite", wheel.read(DETECTOR_MEMBER))


def build(root: Path) -> list[Path]:
    """Build every bundle missing from :func:`models_folder`; the npm package must be
    installed under ``root``. Returns the bundles written."""
    target = models_folder()
    missing = [m for m in MODELS if not bundle_path(m).is_file()]
    if not missing:
        return []
    npm = root / NPM_FOLDER
    if not npm.is_dir():
        raise SystemExit(f"{npm} is missing: run `npm ci` in {root} first (make setup does)")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        detector = _with_image_metadata(_detector(Path(scratch)), "pose_detector")
        for model in missing:
            name = f"pose_landmark_{model}.tflite"
            landmarks = _check(name, (npm / name).read_bytes())
            partial = bundle_path(model).with_suffix(".partial")
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as bundle:
                bundle.writestr("pose_detector.tflite", detector)
                bundle.writestr(
                    "pose_landmarks_detector.tflite",
                    _with_image_metadata(landmarks, "pose_landmarks_detector"),
                )
            partial.replace(bundle_path(model))
            written.append(bundle_path(model))
    return written


if __name__ == "__main__":
    made = build(Path.cwd())
    print(f"pose models: {len(made)} built in {models_folder()}" if made else "pose models: ready")
