"""Sensor recordings into the clinical record: EMG timing and flexion–relaxation, IMU motion.

The analysis layer measures (onsets, latencies, ratios, angles); this joins those numbers to
the record: it picks the EMG channels of a recording, names the muscle behind each channel,
and turns the results into the inputs of the physical tests ``feedforward_timing`` and
``flexion_relaxation`` (domain.physical_tests), so a sensor result is scored, explained and
stored exactly like one typed in by hand. Storing goes through the care service, which checks
the clinician's right to the patient and audits the write.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from spinecoach.analysis import emg
from spinecoach.analysis.timeseries import TimeSeries
from spinecoach.domain.accounts import Principal, Role
from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.physical_tests.feedforward import MAX_TRIALS, MOVEMENTS, SPEEDS
from spinecoach.domain.physical_tests.registry import get_physical_test
from spinecoach.domain.scoring import ScoredAssessment

from .accounts import AccessDenied
from .care import CareService
from .schemas import AssessmentIn, as_input_errors

if TYPE_CHECKING:  # the IMU package loads numba (~0.25 s): imported where it is used, so
    # that every command and the web app's start-up do not pay for it
    from spinecoach.analysis import imu
    from spinecoach.analysis.imu.angles import Axis

EMG_UNITS = frozenset({"uV", "mV", "V"})
ACCELERATION_UNITS = frozenset({"g", "m/s^2"})
ROTATION_UNITS = frozenset({"deg/s", "rad/s"})
# A prime mover in these units is a limb sensor: its onsets are movement onsets, not EMG.
KINEMATIC_UNITS = ACCELERATION_UNITS | ROTATION_UNITS | frozenset({"deg"})
METHOD_NAMES = {
    "sd": "SD threshold (Hodges & Bui 1996)",
    "tkeo": "Teager–Kaiser energy + threshold",
    "double": "double threshold (Bonato 1998)",
}
MAX_METHOD_TEXT = 200  # the physical tests' free-text limit
OnsetMethod = Literal["sd", "tkeo", "double"]
ONSET_METHODS: Mapping[str, OnsetMethod] = {"sd": "sd", "tkeo": "tkeo", "double": "double"}

# Channel-name patterns → the muscle codes of the feed-forward test. Lab exports name channels
# by muscle ("TrA L", "R_IO", "Multifidus"); anything else is "other" and can be set by hand.
_MUSCLE_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\btra\b|transvers", "transversus_abdominis"),
    (r"\bio\b|int(ernal)?[ _.-]*obl", "internal_oblique"),
    (r"\beo\b|ext(ernal)?[ _.-]*obl", "external_oblique"),
    (r"\bra\b|rectus", "rectus_abdominis"),
    (r"\bl?mf\b|multifid", "lumbar_multifidus"),
    (r"\bes\b|erector|paraspin", "erector_spinae"),
)
_DELTOID = re.compile(r"delt", re.IGNORECASE)


def muscle_of(channel: str) -> str:
    """The muscle a channel name points to, or "other"."""
    name = re.sub(r"[_.-]", " ", channel.lower())
    for pattern, muscle in _MUSCLE_PATTERNS:
        if re.search(pattern, name):
            return muscle
    return "other"


def emg_series(
    groups: Sequence[TimeSeries], *, want: str | None = None, exclude: Sequence[str] = ()
) -> TimeSeries:
    """The EMG channels of a recording: the group holding ``want`` (the prime mover) or the
    one with the most EMG channels. EMG means a voltage unit; when no channel has one (raw
    counts), every channel whose unit is not known to be something else (g, deg/s, deg …)
    and that is not in ``exclude`` (the trunk-angle channel)."""
    candidates = [g for g in groups if want is None or want in g.channels]
    if not candidates:
        known = ", ".join(c for g in groups for c in g.channels)
        raise InvalidInput("--prime-mover", f"no channel {want!r}; the file has: {known}")

    def voltage_channels(group: TimeSeries) -> list[str]:
        return [c for c, u in zip(group.channels, group.units, strict=True) if u in EMG_UNITS]

    def unknown_channels(group: TimeSeries) -> list[str]:
        return [
            c
            for c, u in zip(group.channels, group.units, strict=True)
            if u in ("", *EMG_UNITS) and c not in exclude
        ]

    best = max(candidates, key=lambda g: (len(voltage_channels(g)), len(unknown_channels(g))))
    names = voltage_channels(best) or unknown_channels(best)
    if want is not None and want not in names:
        names.insert(0, want)
    if not names:
        found = ", ".join(
            f"{c} ({u or 'no unit'})"
            for g in groups
            for c, u in zip(g.channels, g.units, strict=True)
        )
        raise InvalidInput("file", f"no EMG channel (a voltage, or no unit); has {found}")
    return best.select(names)


@dataclass(frozen=True)
class EmgAnalysis:
    """One EMG recording analysed: the report, flexion–relaxation when asked, and the
    physical-test inputs it yields (ready for an assessment)."""

    source: str
    report: emg.EmgReport
    flexion: emg.FlexionRelaxation | None
    tests: Mapping[str, Mapping[str, bool | int | float | str]]
    statements: tuple[str, ...]
    prime_mover: str | None = None
    prime_onsets_s: tuple[float, ...] = ()  # the trials: deltoid bursts or limb movements
    fatigue: Mapping[str, Mapping[str, float]] | None = None  # median frequency per channel
    cocontraction: Mapping[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "prime_mover": self.prime_mover,
            "prime_onsets_s": [round(t, 4) for t in self.prime_onsets_s],
            "emg": self.report.as_dict(),
            "flexion_relaxation": self.flexion.as_dict() if self.flexion else None,
            "tests": {k: dict(v) for k, v in self.tests.items()},
            "statements": list(self.statements),
            "fatigue": {k: dict(v) for k, v in self.fatigue.items()} if self.fatigue else None,
            "cocontraction": dict(self.cocontraction) if self.cocontraction else None,
        }


@dataclass(frozen=True)
class EmgOptions:
    """What the clinician tells about the recording (CLI options, web form)."""

    prime_mover: str | None = None
    muscle_channel: str | None = None  # the channel to record as the feed-forward test
    speed: str = "fast"
    movement: str = "arm_flexion"
    method: OnsetMethod = "sd"
    notch_hz: float | None = 50.0
    angle_channel: str | None = None  # trunk angle for flexion–relaxation phases
    paraspinal_channel: str | None = None  # the channel whose FRR is recorded
    # Flexion phases given by the user: flexion start, full flexion start and end, extension end.
    phases_s: tuple[float, float, float, float] | None = None
    fatigue: bool = False  # median-frequency slope per channel (endurance holds)
    cocontraction: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if self.speed not in SPEEDS:
            raise InvalidInput("--speed", f"must be one of {', '.join(SPEEDS)}, got {self.speed!r}")
        if self.movement not in MOVEMENTS:
            raise InvalidInput(
                "--movement", f"must be one of {', '.join(MOVEMENTS)}, got {self.movement!r}"
            )
        if self.method not in ("sd", "tkeo", "double"):
            raise InvalidInput("--method", f"must be sd, tkeo or double, got {self.method!r}")
        if self.phases_s is not None and list(self.phases_s) != sorted(set(self.phases_s)):
            raise InvalidInput(
                "--phases", f"must be four increasing times (s), got {self.phases_s}"
            )
        if self.phases_s is not None and self.angle_channel is not None:
            raise InvalidInput("--phases", "give either --phases or --angle, not both")


def analyse_emg(
    groups: Sequence[TimeSeries], /, *, source: str, options: EmgOptions | None = None
) -> EmgAnalysis:
    """Onsets per channel, anticipatory timing against the prime mover (an EMG channel, or a
    limb accelerometer at any rate), flexion–relaxation when a trunk-angle channel is named,
    and the physical-test inputs."""
    opts = options or EmgOptions()
    prime_unit = _unit(groups, opts.prime_mover) if opts.prime_mover else None
    kinematic = prime_unit in KINEMATIC_UNITS
    series = emg_series(
        groups,
        want=None if kinematic else opts.prime_mover,
        exclude=[opts.angle_channel] if opts.angle_channel else [],
    )
    if opts.muscle_channel is not None and opts.prime_mover is None:
        raise InvalidInput("--muscle", "needs --prime-mover (the muscle is timed against it)")
    prime_onsets: tuple[float, ...] = ()
    with as_input_errors():
        report = emg.process(
            series,
            prime_mover=None if kinematic else opts.prime_mover,
            method=opts.method,
            notch_hz=opts.notch_hz,
        )
        if kinematic and opts.prime_mover is not None:
            report, prime_onsets = _timed_against_movement(groups, report, opts.prime_mover)
        elif opts.prime_mover is not None:
            prime_onsets = tuple(report.onsets.onsets_s(opts.prime_mover))
    tests: dict[str, dict[str, bool | int | float | str]] = {}
    statements: list[str] = []
    if report.timing is not None and opts.prime_mover is not None:
        prime = (
            "accelerometer" if prime_unit in ACCELERATION_UNITS else _prime_kind(opts.prime_mover)
        )
        chosen = opts.muscle_channel
        if chosen is not None and chosen not in [m.muscle for m in report.timing.muscles]:
            raise InvalidInput("--muscle", f"no timed channel {chosen!r}")
        for timing in report.timing.muscles:
            if timing.trials == 0:
                continue
            if timing.trials > MAX_TRIALS:
                statements.append(
                    f"{timing.muscle}: {timing.trials} trials — more than the {MAX_TRIALS} a "
                    "test result holds; cut the recording to one series of raises to store it"
                )
                continue
            values = _timing_values(timing, prime, opts)
            statements.append(get_physical_test("feedforward_timing").evaluate(values).summary)
            # Stored: the chosen channel, else the first whose name says which trunk muscle
            # it is (an unnamed channel, e.g. "EMG2", is shown but not stored by default).
            named = chosen is None and muscle_of(timing.muscle) != "other"
            if timing.muscle == chosen or named:
                tests.setdefault("feedforward_timing", values)
    flexion = None
    if opts.angle_channel is not None or opts.phases_s is not None:
        flexion = _flexion(groups, report, opts)
        channel = opts.paraspinal_channel or _paraspinal(flexion)
        if channel not in flexion.frr:
            raise InvalidInput("--paraspinal", f"no EMG channel {channel!r}")
        values_fr: dict[str, bool | int | float | str] = {
            "frr": round(flexion.frr[channel], 3),
            "side": _side(channel),
            "method": flexion.method_text[:MAX_METHOD_TEXT],
        }
        err = flexion.err.get(channel, math.nan)
        if math.isfinite(err):
            values_fr["err"] = round(err, 3)
        tests["flexion_relaxation"] = values_fr
        statements.append(
            f"{channel}: " + get_physical_test("flexion_relaxation").evaluate(values_fr).summary
        )
    return EmgAnalysis(
        source,
        report,
        flexion,
        tests,
        tuple(statements),
        opts.prime_mover,
        prime_onsets,
        _fatigue(series, opts) if opts.fatigue else None,
        _cocontraction(report, opts.cocontraction) if opts.cocontraction else None,
    )


def _fatigue(series: TimeSeries, opts: EmgOptions) -> dict[str, dict[str, float]]:
    """Median frequency at the start and its slope (%/s of the start): a falling median
    frequency during an endurance hold is muscle fatigue (De Luca 1997)."""
    with as_input_errors():
        frequency = emg.median_frequency(emg.clean(series, notch_hz=opts.notch_hz))
        absolute = emg.fatigue_slope(frequency)
        relative = emg.fatigue_slope(frequency, relative=True)
    return {
        name: {
            "initial_hz": round(float(frequency.channel(name)[0]), 1),
            "slope_hz_per_s": round(absolute[name], 4),
            "slope_pct_per_s": round(relative[name], 4),
        }
        for name in frequency.channels
    }


def _cocontraction(report: emg.EmgReport, pair: tuple[str, str]) -> dict[str, Any]:
    """Falconer & Winter's co-contraction index of two channels' envelopes."""
    envelope = report.envelope
    for name in pair:
        if name not in envelope.channels:
            raise InvalidInput("--cocontraction", f"no EMG channel {name!r}")
    # A zero-phase low-pass can dip a hair below zero after a burst; an envelope cannot.
    first, second = (np.maximum(envelope.channel(name), 0.0) for name in pair)
    with as_input_errors():
        index = emg.co_contraction_index(first, second)
    return {
        "channels": list(pair),
        "index_pct": round(index, 1),
        "method": "2·Σmin(A,B) ÷ Σ(A+B) × 100 over the whole recording's envelopes "
        "(Falconer & Winter 1985); not amplitude-normalised unless the inputs were",
    }


def _unit(groups: Sequence[TimeSeries], channel: str) -> str:
    for group in groups:
        if channel in group.channels:
            return group.unit_of(channel)
    known = ", ".join(c for g in groups for c in g.channels)
    raise InvalidInput("--prime-mover", f"no channel {channel!r}; the file has: {known}")


def _timed_against_movement(
    groups: Sequence[TimeSeries], report: emg.EmgReport, channel: str
) -> tuple[emg.EmgReport, tuple[float, ...]]:
    """Timing of every EMG channel against a limb sensor's movement onsets (its own rate)."""
    limb = next(g for g in groups if channel in g.channels).select([channel])
    movement = emg.movement_onsets(limb)
    if not movement.onsets_s:
        raise InvalidInput("--prime-mover", f"no limb movement found in {channel!r}")
    trunk = emg.pair_trials(report.onsets, movement.onsets_s)
    timing = emg.anticipatory_timing(trunk, movement.onsets_s)
    text = f"{report.method_text} {movement.method_text} {timing.method_text}"
    return replace(report, timing=timing, method_text=text), movement.onsets_s


def _prime_kind(channel: str) -> str:
    return "anterior_deltoid" if _DELTOID.search(channel) else "other"


def _timing_values(
    timing: emg.MuscleTiming, prime: str, opts: EmgOptions
) -> dict[str, bool | int | float | str]:
    values: dict[str, bool | int | float | str] = {
        "muscle": muscle_of(timing.muscle),
        "prime_mover": prime,
        "movement": opts.movement,
        "speed": opts.speed,
        "trials": timing.trials,
        "feedforward_trials": timing.feedforward_trials,
        "method": (
            f"channel {timing.muscle}; onsets by {METHOD_NAMES[opts.method]}; prime mover "
            f"{opts.prime_mover}; window −100 to +50 ms (spinecoach emg)"
        )[:MAX_METHOD_TEXT],
    }
    for name, value in (
        ("median_latency_ms", timing.median_ms),
        ("q1_ms", timing.q1_ms),
        ("q3_ms", timing.q3_ms),
    ):
        if value is not None:
            values[name] = round(float(value), 1)
    return values


def _flexion(
    groups: Sequence[TimeSeries], report: emg.EmgReport, opts: EmgOptions
) -> emg.FlexionRelaxation:
    envelope = report.envelope
    if opts.phases_s is not None:
        a, b, c, d = opts.phases_s
        phases = emg.FlexionPhases(flexion=(a, b), full_flexion=(b, c), extension=(c, d))
        with as_input_errors():
            return emg.flexion_relaxation(
                envelope.values, envelope.time, phases=phases, channels=envelope.channels
            )
    assert opts.angle_channel is not None
    holding = [g for g in groups if opts.angle_channel in g.channels]
    if not holding:
        raise InvalidInput("--angle", f"no channel {opts.angle_channel!r} in the file")
    angle = holding[0]
    step = 1.0 / angle.rate_hz if angle.rate_hz > 0 else 0.0
    if angle.time[0] > envelope.time[0] + step or angle.time[-1] < envelope.time[-1] - step:
        raise InvalidInput(
            "--angle",
            f"{opts.angle_channel!r} covers {angle.time[0]:g}–{angle.time[-1]:g} s, the EMG "
            f"{envelope.time[0]:g}–{envelope.time[-1]:g} s: the phases would be invented",
        )
    # The angle may be sampled at another rate: bring it onto the EMG's clock.
    trunk = np.interp(envelope.time, angle.time, angle.channel(opts.angle_channel))
    with as_input_errors():
        return emg.flexion_relaxation(
            envelope.values, envelope.time, trunk_angle_deg=trunk, channels=envelope.channels
        )


def _paraspinal(flexion: emg.FlexionRelaxation) -> str:
    """The first paraspinal channel by name, else the first channel."""
    for channel in flexion.frr:
        if muscle_of(channel) in ("erector_spinae", "lumbar_multifidus"):
            return channel
    return next(iter(flexion.frr))


def _side(channel: str) -> str:
    name = channel.lower()
    if re.search(r"(^|[ _.-])(l|left)($|[ _.-])", name):
        return "left"
    if re.search(r"(^|[ _.-])(r|right)($|[ _.-])", name):
        return "right"
    return "bilateral"


@dataclass(frozen=True)
class ImuAnalysis:
    """One IMU recording analysed: the (thorax or only) sensor's report, and the lumbar angles
    when a thorax and a pelvis sensor were named."""

    source: str
    report: imu.ImuReport
    lumbar: TimeSeries | None = None

    def as_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {"source": self.source, "imu": self.report.as_dict()}
        if self.lumbar is not None:
            document["lumbar_deg"] = {
                name: {
                    "min": round(float(values.min()), 1),
                    "max": round(float(values.max()), 1),
                    "range": round(float(values.max() - values.min()), 1),
                }
                for name, values in zip(self.lumbar.channels, self.lumbar.values.T, strict=True)
            }
            document["lumbar_method"] = LUMBAR_METHOD
        return document


STANDING_S = 2.0  # the recording starts with the patient standing upright (documented)
LUMBAR_METHOD = (
    "Each sensor's orientation by the Madgwick filter (gyroscope and accelerometer); segment "
    f"frames from the first {STANDING_S:g} s of upright standing (mounting offsets removed; "
    "the pelvis sensor's --forward axis, x by default, points forwards); "
    "lumbar angles = thorax relative to pelvis, Cardan Y-X-Z (flexion, lateral bend, axial "
    "rotation; ISB order, Wu et al. 2002). Heading drifts without a magnetometer: rotation is "
    "the least reliable of the three."
)


def imu_series(groups: Sequence[TimeSeries], *, prefix: str = "") -> TimeSeries:
    """The first three accelerometer channels (unit g or m/s²) of a recording whose names
    start with ``prefix``, named ``acc_x/y/z`` in file order, with the first three gyroscope
    channels of the same group (``gyr_x/y/z``) when it has them: the analysis names axes,
    files name channels."""
    wanted = prefix.lower()
    for group in groups:
        pairs = [
            (c, u)
            for c, u in zip(group.channels, group.units, strict=True)
            if c.lower().startswith(wanted)
        ]
        acc = [c for c, u in pairs if u in ACCELERATION_UNITS][:3]
        if len(acc) < 3:
            continue
        gyr = [c for c, u in pairs if u in ROTATION_UNITS][:3]
        picked = acc + (gyr if len(gyr) == 3 else [])
        chosen = group.select(picked)
        names = [f"acc_{axis}" for axis in "xyz"] + [f"gyr_{axis}" for axis in "xyz"]
        return TimeSeries(
            chosen.time, chosen.values, tuple(names[: len(picked)]), chosen.units, group.events
        )
    found = ", ".join(
        f"{c} ({u or 'no unit'})" for g in groups for c, u in zip(g.channels, g.units, strict=True)
    )
    where = f" named {prefix}…" if prefix else ""
    raise InvalidInput(
        "file", f"needs three accelerometer channels{where} (unit g or m/s^2); has {found}"
    )


def analyse_imu(
    groups: Sequence[TimeSeries],
    /,
    *,
    source: str,
    thorax: str | None = None,
    pelvis: str | None = None,
    forward: str = "x",
) -> ImuAnalysis:
    """Trunk angle, repetitions and holds from one accelerometer (+ gyroscope); with a
    thorax and a pelvis sensor (channel-name prefixes) also the lumbar angles."""
    if (thorax is None) != (pelvis is None):
        raise InvalidInput("--pelvis" if pelvis is None else "--thorax", "name both sensors")
    series = imu_series(groups, prefix=thorax or "")
    with as_input_errors():
        from spinecoach.analysis import imu

        report = imu.process(series)
        lumbar = None
        if thorax is not None and pelvis is not None:
            lumbar = _lumbar(series, imu_series(groups, prefix=pelvis), forward)
    return ImuAnalysis(source, report, lumbar)


FORWARD_AXES = ("x", "y", "z", "-x", "-y", "-z")


def _lumbar(thorax: TimeSeries, pelvis: TimeSeries, forward: str) -> TimeSeries:
    """Lumbar angles of a thorax and a pelvis sensor recorded together."""
    if thorax.frames != pelvis.frames or "gyr_x" not in thorax.channels + pelvis.channels:
        raise InvalidInput(
            "--pelvis", "the thorax and pelvis sensors need gyroscopes and one shared clock"
        )
    if "gyr_x" not in thorax.channels or "gyr_x" not in pelvis.channels:
        raise InvalidInput("--pelvis", "both sensors need a gyroscope (deg/s or rad/s)")
    rate = thorax.uniform_rate_hz()
    gyr = np.stack([_radians(s) for s in (thorax, pelvis)])
    acc = np.stack([s.select(["acc_x", "acc_y", "acc_z"]).values for s in (thorax, pelvis)])
    from spinecoach.analysis import imu

    orientation = imu.madgwick(gyr, acc, rate_hz=rate)
    standing = slice(0, max(1, round(STANDING_S * rate)))
    if forward not in FORWARD_AXES:
        raise InvalidInput(
            "--forward", f"must be one of {', '.join(FORWARD_AXES)}, got {forward!r}"
        )
    thorax_q, pelvis_q = imu.calibrate(
        orientation[0], orientation[1], standing, forward=cast("Axis", forward)
    )
    return imu.lumbar_angles(thorax_q, pelvis_q, rate_hz=rate)


def _radians(series: TimeSeries) -> np.ndarray:
    values = series.select(["gyr_x", "gyr_y", "gyr_z"]).values
    return np.radians(values) if series.unit_of("gyr_x") == "deg/s" else values


# -- the web's use case: a clinician uploads a recording for a patient --------------------------

SignalReader = Callable[[Path], tuple[TimeSeries, ...]]
EmgPlotter = Callable[[EmgAnalysis], bytes]
ImuPlotter = Callable[[ImuAnalysis], bytes]
SUFFIXES = (".edf", ".bdf", ".h5", ".hdf5", ".c3d", ".csv", ".txt")
MAX_UPLOAD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class SensorUpload:
    """An analysed upload: the analysis, its plot (PNG) and what an assessment would store."""

    kind: Literal["emg", "imu"]
    analysis: EmgAnalysis | ImuAnalysis
    plot_png: bytes = field(repr=False)

    @property
    def tests(self) -> Mapping[str, Mapping[str, bool | int | float | str]]:
        return self.analysis.tests if isinstance(self.analysis, EmgAnalysis) else {}


class SensorService:
    """Analyses uploaded recordings for a clinician and stores the results as tests."""

    def __init__(
        self,
        care: CareService,
        *,
        read: SignalReader,
        plot_emg: EmgPlotter,
        plot_imu: ImuPlotter,
    ) -> None:
        self.care = care
        self._read = read
        self._plot_emg = plot_emg
        self._plot_imu = plot_imu

    def analyse_upload(
        self,
        principal: Principal,
        pseudonym: str,
        *,
        filename: str,
        content: bytes,
        kind: Literal["emg", "imu"],
        options: EmgOptions | None = None,
        sensors: tuple[str, str] | None = None,
    ) -> SensorUpload:
        """Analyse a recording for a patient in the clinician's care (audited); ``sensors``
        are the thorax and pelvis channel prefixes of a two-sensor IMU recording. The bytes
        are analysed from a private temporary file that is deleted at once: only numbers
        stay (the clinician decides whether to store them)."""
        if principal.role is not Role.CLINICIAN:
            raise AccessDenied("role", "this needs a clinician account")
        self.care.audit_access(principal, pseudonym, "analyse", "sensor recording", filename)
        suffix = Path(filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise InvalidInput("file", f"{filename!r}: expected one of {', '.join(SUFFIXES)}")
        if not content:
            raise InvalidInput("file", "is empty")
        if len(content) > MAX_UPLOAD_BYTES:
            raise InvalidInput("file", f"is larger than {MAX_UPLOAD_BYTES // 2**20} MiB")
        with tempfile.TemporaryDirectory(prefix="spinecoach-upload-") as folder:
            path = Path(folder) / f"recording{suffix}"
            path.write_bytes(content)
            try:
                groups = self._read(path)
            except InvalidInput as error:  # the reader names the temporary path
                raise InvalidInput("file", f"{filename}: {error.problem}") from None
        upload: SensorUpload
        if kind == "emg":
            analysis = analyse_emg(groups, source=filename, options=options)
            upload = SensorUpload("emg", analysis, self._plot_emg(analysis))
        else:
            thorax, pelvis = sensors if sensors else (None, None)
            imu_analysis = analyse_imu(groups, source=filename, thorax=thorax, pelvis=pelvis)
            upload = SensorUpload("imu", imu_analysis, self._plot_imu(imu_analysis))
        return upload

    def record(
        self,
        principal: Principal,
        pseudonym: str,
        tests: Mapping[str, Mapping[str, bool | int | float | str]],
        *,
        source: str,
    ) -> ScoredAssessment:
        """Store sensor-derived test results as a re-check assessment (scored like any)."""
        if not tests:
            raise InvalidInput("tests", "nothing to record: the recording gave no test result")
        submission = AssessmentIn(
            kind="recheck",
            tests={k: dict(v) for k, v in tests.items()},
            notes=f"From sensor recording {source}"[:4000],
        )
        return self.care.record_assessment(principal, pseudonym, submission)
