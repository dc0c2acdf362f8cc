# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
MODELS := $(VENV)/share/spinecoach/models/.built-stamp
ASSETS := $(VENV)/share/spinecoach/web/.copied-stamp
SAMPLES := $(VENV)/share/spinecoach/samples/.fetched-stamp
BUNDLES := $(foreach m,lite full heavy,$(dir $(MODELS))pose_landmarker_$(m).task)
NODE   := node_modules/.package-lock.json

.PHONY: run test setup lint types contracts unit bench bench-analysis bench-web bench-sensors evaluate clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "spinecoach needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# npm packages pinned by package-lock.json: @mediapipe/pose (pose models, browser pose),
# htmx and Chart.js (the web app), axe-core (accessibility checks in the browser tests).
$(NODE): package-lock.json
	@command -v npm >/dev/null || { echo "spinecoach needs Node.js and npm (https://nodejs.org) for the pose models"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE)

# Pose models: MediaPipe .task bundles built from @mediapipe/pose, checksummed (docs/video.md).
$(MODELS): $(STAMP) $(NODE) src/spinecoach/adapters/sensors/models.py $(BUNDLES)
	$(BIN)/python -m spinecoach.adapters.sensors.models
	@touch $(MODELS)

# No recipe: a deleted bundle makes the stamp stale, so `make setup` builds it again.
$(BUNDLES):

# Web assets: htmx, Chart.js and MediaPipe Pose copied from node_modules for the app to serve.
$(ASSETS): $(STAMP) $(NODE) src/spinecoach/adapters/web_assets.py
	$(BIN)/python -m spinecoach.adapters.web_assets node_modules
	@touch $(ASSETS)

# Sample data: real EMG recordings (OpenSignals HDF5) from the biosignalsnotebooks wheel,
# checksummed (docs/sensors.md).
$(SAMPLES): $(STAMP) src/spinecoach/adapters/sensors/samples.py
	$(BIN)/python -m spinecoach.adapters.sensors.samples $(dir $(SAMPLES))
	@touch $(SAMPLES)

setup: $(STAMP) $(MODELS) $(ASSETS) $(SAMPLES)

## run: set up, migrate, seed the demo clinic into a new database, start the web app on :8000
run: setup
	$(BIN)/spinecoach serve

lint: setup
	$(BIN)/ruff check src tests benchmarks evaluations
	$(BIN)/ruff format --check src tests benchmarks evaluations

types: setup
	$(BIN)/mypy

contracts: setup
	$(BIN)/lint-imports

unit: setup
	$(BIN)/pytest

## test: set up, then lint, types, import contracts and the whole test suite
test: lint types contracts unit

## bench: speed and memory of the program engine (1,000 synthetic patients × 12 weeks)
bench: setup
	$(BIN)/python benchmarks/bench_engine.py --patients 1000 --weeks 12

## bench-analysis: movement analysis on landmark files, live frames and video (docs/analysis.md)
bench-analysis: setup
	$(BIN)/python benchmarks/bench_analysis.py
	$(BIN)/python benchmarks/bench_streaming.py
	$(BIN)/python benchmarks/bench_video.py

## bench-web: live-frame time, concurrent live sockets, page latency on SQLite and PostgreSQL
bench-web: setup
	$(BIN)/python benchmarks/bench_web.py --postgres "$${SPINECOACH_BENCH_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"

## bench-sensors: EMG vs NeuroKit2 and Madgwick/Mahony vs ahrs on the same data, live EMG chunks
bench-sensors: setup
	$(BIN)/python benchmarks/bench_emg.py
	$(BIN)/python benchmarks/bench_imu.py

## evaluate: accuracy of the movement and sensor analysis (real recordings in ../shared/data,
## simulated EMG with known onsets)
evaluate: setup
	$(BIN)/python -m evaluations.uiprmd
	$(BIN)/python -m evaluations.keraal
	$(BIN)/python -m evaluations.emg_onsets
	$(BIN)/python -m evaluations.mex_recognition

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache .hypothesis
