"""Real EMG sample recordings, fetched at set-up from the biosignalsnotebooks wheel on PyPI.

biosignalsnotebooks 0.6.14 (PLUX, MIT licence) ships OpenSignals HDF5 recordings of surface EMG
(Adductor pollicis, Biceps brachii bursts and fatigue; 10 Hz-1 kHz, 8-16 bits). The package pins
an old numpy, so it is not installed: ``make setup`` runs
``python -m spinecoach.adapters.sensors.samples <dest>``, which downloads the wheel with pip
(no dependencies), extracts the ``emg_*.h5`` files and their ``_info.json`` notes, and checks
each against a SHA-256 recorded here, so that a changed upstream file fails loudly.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "biosignalsnotebooks==0.6.14"
WHEEL_FOLDER = "biosignalsnotebooks/notebook_files/osf_files/signal_samples/"
# File name -> SHA-256 of the file in biosignalsnotebooks 0.6.14.
CHECKSUMS: dict[str, str] = {
    "emg_1000_hz_16_bits.h5": "cbafbc72a5cc13a615dc07621b931d17d6723709b146d73d44426e3b62f39d99",
    "emg_1000_hz_16_bits_info.json": (
        "7c18e8570476bcb12386b7d9b16cc8b30ca04625130e3c9c87f1360ff3b74d03"
    ),
    "emg_1000_hz_16_bits_solo.h5": (
        "9d529a65d3886c9a93d6cb9124608c9fd0c132b13599ef9c50dd1c45bb0f1dac"
    ),
    "emg_1000_hz_16_bits_solo_info.json": (
        "21418b025de357cbbf5b63e464ef7337502bc1a27dccb93309ffdbe8ab34de5f"
    ),
    "emg_1000_hz_8_16_bits.h5": "475507163b8c9bc5b09451cee1f77a3d92d05e2d873b0b75040377e679fe3ef5",
    "emg_1000_hz_8_16_bits_info.json": (
        "59738a3b3232a0d232f6e312a9c8e723573b33321e2f7b64214740161d1812eb"
    ),
    "emg_10_hz_16_bits.h5": "8f0f38f704b6ee43e907af2fa2f329dae28acfc3c595f6faa7c9fa5531c79904",
    "emg_10_hz_16_bits_info.json": (
        "ce479488832ef800d18b26199b7d3647d37257164eaf4e97f6d5c7ce2a0ace72"
    ),
    "emg_bursts.h5": "32989903d9196e7bf0db1306da56fda787fb6fe35591b06e9b68d040f036d5fb",
    "emg_bursts_info.json": "1f957f131e13941dc362d30bef7f23cf6f3c886dc9f9ae6760ace8494ce12c1d",
    "emg_fatigue.h5": "fc9accd86328e0c254ad5ae279e5ec633de95bf742f72e1884e080ad3751586d",
    "emg_fatigue_info.json": "03cb842f53cbd4b5d88d8f2f07e9662ff0b4edebb0fa39f931b37e1e7bb9ac71",
}


def samples_dir() -> Path:
    """Where set-up puts the samples: share/spinecoach/samples in this Python environment."""
    return Path(sys.prefix) / "share" / "spinecoach" / "samples"


def emg_sample_files(directory: Path | None = None) -> list[Path]:
    """The EMG sample recordings present (empty before set-up has fetched them)."""
    folder = samples_dir() if directory is None else directory
    return sorted(folder.glob("emg_*.h5")) if folder.is_dir() else []


def _wanted(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return (
        name.startswith(WHEEL_FOLDER)
        and base.startswith("emg_")
        and (base.endswith(".h5") or base.endswith("_info.json"))
    )


def download_wheel(folder: Path) -> Path:
    """The biosignalsnotebooks wheel, downloaded by pip into ``folder``."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            PACKAGE,
            "-d",
            str(folder),
        ],
        check=True,
    )
    wheels = sorted(folder.glob("biosignalsnotebooks-*.whl"))
    if not wheels:
        raise FileNotFoundError(f"pip left no biosignalsnotebooks wheel in {folder}")
    return wheels[0]


def extract(wheel: Path, destination: Path) -> list[Path]:
    """Copy the EMG samples out of the wheel, checking each file's SHA-256 before writing it.
    Raises ValueError naming a file whose checksum differs or that is missing upstream."""
    destination.mkdir(parents=True, exist_ok=True)
    written = []
    with zipfile.ZipFile(wheel) as archive:
        members = {name.rsplit("/", 1)[-1]: name for name in archive.namelist() if _wanted(name)}
        missing = sorted(set(CHECKSUMS) - set(members))
        if missing:
            raise ValueError(f"{wheel.name} lacks {', '.join(missing)}")
        for base, name in sorted(members.items()):
            content = archive.read(name)
            digest = hashlib.sha256(content).hexdigest()
            if base not in CHECKSUMS or CHECKSUMS[base] != digest:
                raise ValueError(
                    f"{base}: SHA-256 {digest} is not the recorded "
                    f"{CHECKSUMS.get(base, '(none: a new upstream file)')}"
                )
            target = destination / base
            target.write_bytes(content)
            written.append(target)
    return written


def fetch(destination: Path, *, wheel: Path | None = None) -> list[Path]:
    """Download (unless ``wheel`` is given) and extract the samples into ``destination``."""
    if wheel is not None:
        return extract(wheel, destination)
    with tempfile.TemporaryDirectory(prefix="spinecoach-samples-") as folder:
        return extract(download_wheel(Path(folder)), destination)


def main() -> None:
    """``python -m spinecoach.adapters.sensors.samples [dest dir] [--wheel path]``."""
    args = sys.argv[1:]
    wheel = None
    if "--wheel" in args:
        at = args.index("--wheel")
        if at + 1 >= len(args):
            raise SystemExit("samples: --wheel needs the path of a biosignalsnotebooks wheel")
        wheel = Path(args[at + 1])
        del args[at : at + 2]
    destination = Path(args[0]) if args else samples_dir()
    try:
        written = fetch(destination, wheel=wheel)
    except (OSError, ValueError, zipfile.BadZipFile, subprocess.CalledProcessError) as error:
        raise SystemExit(f"samples: {error}") from None
    for path in written:
        print(f"samples: {path}")
    print(f"samples: {len(written)} files from {PACKAGE} in {destination}")


if __name__ == "__main__":
    main()
