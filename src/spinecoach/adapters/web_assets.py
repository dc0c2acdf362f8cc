"""Third-party front-end files for the web app, copied from npm's node_modules at set-up.

The app serves them itself (no CDN, nothing fetched at run time): htmx for partial page
updates, Chart.js for the progress charts, and the MediaPipe Pose solution (JavaScript, wasm
and models) that finds the patient's landmarks in the browser, so video never leaves the
device. ``make setup`` runs ``python -m spinecoach.adapters.web_assets``; versions are pinned by
package-lock.json.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# Destination sub-folder -> (npm package, files; "*" = the package's whole top folder).
VENDOR: dict[str, tuple[str, tuple[str, ...]]] = {
    "htmx": ("htmx.org", ("dist/htmx.min.js",)),
    "chartjs": ("chart.js", ("dist/chart.umd.min.js",)),
    "mediapipe-pose": ("@mediapipe/pose", ("*",)),
}


def default_assets_dir() -> Path:
    """Where set-up puts the files: share/spinecoach/web in this Python environment."""
    return Path(sys.prefix) / "share" / "spinecoach" / "web"


def missing_assets(assets_dir: Path) -> list[str]:
    """Vendor files the app needs that are not in ``assets_dir`` (empty when complete)."""
    missing = []
    for folder, (_package, files) in VENDOR.items():
        for name in files:
            target = assets_dir / "vendor" / folder
            if name == "*":
                if not (target / "pose.js").is_file():
                    missing.append(f"vendor/{folder}/pose.js")
            elif not (target / Path(name).name).is_file():
                missing.append(f"vendor/{folder}/{Path(name).name}")
    return missing


def install_assets(node_modules: Path, assets_dir: Path) -> int:
    """Copy the vendor files; returns how many were copied. Raises FileNotFoundError naming
    the first missing package file (run ``npm ci`` first)."""
    copied = 0
    for folder, (package, files) in VENDOR.items():
        target = assets_dir / "vendor" / folder
        target.mkdir(parents=True, exist_ok=True)
        root = node_modules / package
        sources = (
            [p for p in root.iterdir() if p.is_file()]
            if files == ("*",) and root.is_dir()
            else [root / name for name in files]
        )
        for source in sources:
            if not source.is_file():
                raise FileNotFoundError(f"{source} (run npm ci)")
            shutil.copy2(source, target / source.name)
            copied += 1
    return copied


def main() -> None:
    """``python -m spinecoach.adapters.web_assets [node_modules]``."""
    node_modules = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("node_modules")
    destination = default_assets_dir()
    try:
        count = install_assets(node_modules, destination)
    except FileNotFoundError as error:
        raise SystemExit(f"web assets: missing {error}") from None
    print(f"web assets: {count} files in {destination}")


if __name__ == "__main__":
    main()
