"""Feed-forward timing of a trunk muscle during rapid limb movement (surface or fine-wire EMG),
clinical-facts.md §3.4.

In healthy people the transversus abdominis and internal oblique switch on before, or within a
few tens of milliseconds after, the prime mover of a *fast* arm movement (Hodges & Richardson
1997, [V]); people with recurrent low back pain failed to recruit them ahead of the limb
(Hodges & Richardson 1999, [V]). A trial counts as feed-forward when the trunk muscle's onset
lies in the operational window of −100 ms to +50 ms relative to the prime mover's onset
(Silfies et al. 2009, [V]); a trial with no trunk onset at all is not feed-forward.

The test takes the trial counts and latencies that ``spinecoach emg`` measures (or a lab's own
analysis). Only **fast** movements are judged: at slow speed healthy people do not pre-activate
either (Hodges & Richardson 1997), so a low count there says nothing. "Absent" means fewer than
half of the fast trials were feed-forward: the window is published, the majority rule is ours.
"""

from __future__ import annotations

from types import MappingProxyType

from spinecoach.domain.errors import InvalidInput
from spinecoach.domain.evidence import Evidence, Scalar
from spinecoach.domain.physical_tests.base import InputSpec, PersonContext, PhysicalTest, TestResult
from spinecoach.domain.physical_tests.common import Values, number, optional_number, text

WINDOW_MS = (-100.0, 50.0)  # Silfies et al. 2009 [V]
ABSENT_BELOW_FRACTION = 0.5  # design rule: most fast trials not feed-forward
WINDOW_SOURCE = "Silfies et al. 2009, Arch Phys Med Rehabil 90:1159-69 (window) [V]"
DELAY_SOURCE = "Hodges & Richardson 1997 Ergonomics 40:1220; 1999 Arch Phys Med Rehabil [V]"
MUSCLES = (
    "transversus_abdominis",
    "internal_oblique",
    "external_oblique",
    "rectus_abdominis",
    "lumbar_multifidus",
    "erector_spinae",
    "other",
)
PRIME_MOVERS = ("anterior_deltoid", "accelerometer", "landmark", "other")
MOVEMENTS = ("arm_flexion", "arm_abduction", "arm_extension", "hip_flexion", "hip_extension")
SPEEDS = ("fast", "intermediate", "slow")
MAX_TRIALS = 200
MAX_LATENCY_MS = 2000.0


def _words(code: str) -> str:
    return code.replace("_", " ")


def _signed_ms(value: float) -> str:
    """``+38 ms`` or ``−100 ms``: the sign says before (−) or after (+) the prime mover."""
    return f"{value:+.0f} ms".replace("-", "−")


def _latency(name: str, help_text: str) -> InputSpec:
    return InputSpec(
        name=name,
        unit="ms",
        minimum=-MAX_LATENCY_MS,
        maximum=MAX_LATENCY_MS,
        required=False,
        help=help_text,
    )


def _evaluate(values: Values, _person: PersonContext) -> TestResult:
    trials = int(number(values, "trials"))
    feedforward = int(number(values, "feedforward_trials"))
    if feedforward > trials:
        raise InvalidInput(
            "feedforward_timing.feedforward_trials",
            f"cannot exceed trials ({trials}), got {feedforward}",
        )
    muscle = text(values, "muscle") or "other"
    prime = text(values, "prime_mover") or "other"
    movement = text(values, "movement") or "arm_flexion"
    speed = text(values, "speed") or "fast"
    median = optional_number(values, "median_latency_ms")
    q1 = optional_number(values, "q1_ms")
    q3 = optional_number(values, "q3_ms")
    method = text(values, "method")
    fraction = feedforward / trials
    latency = (
        f"onset {_signed_ms(median)} relative to {_words(prime)} (median)"
        if median is not None
        else "no onset median recorded"
    )
    counts = f"feed-forward in {feedforward}/{trials} {speed} {_words(movement)} movements"
    inputs: dict[str, Scalar] = {
        "muscle": muscle,
        "speed": speed,
        "trials": trials,
        "feedforward_trials": feedforward,
        "median_latency_ms": median,
    }
    window = f"{_signed_ms(WINDOW_MS[0])[:-3]} to {_signed_ms(WINDOW_MS[1])}"
    findings: tuple[Evidence, ...] = ()
    if speed != "fast":
        category = "not_judged"
    elif fraction < ABSENT_BELOW_FRACTION:
        category = "absent"
        findings = (
            Evidence(
                code="feedforward_timing.absent",
                statement=f"{_words(muscle).capitalize()} {latency}; {counts}: feed-forward absent",
                rule=f"onset within {window} of the prime mover in fewer than half of the fast "
                "trials (window: Silfies 2009; majority rule: spinecoach design)",
                inputs=inputs,
                reference=f"{WINDOW_SOURCE}; {DELAY_SOURCE}",
            ),
        )
    else:
        category = "present"
    result_values: dict[str, float | bool | str] = {
        "muscle": muscle,
        "prime_mover": prime,
        "movement": movement,
        "speed": speed,
        "trials": trials,
        "feedforward_trials": feedforward,
        "fraction_feedforward": fraction,
    }
    units = {"trials": "count", "feedforward_trials": "count", "fraction_feedforward": "fraction"}
    for name, value in (("median_latency_ms", median), ("q1_ms", q1), ("q3_ms", q3)):
        if value is not None:
            result_values[name] = value
            units[name] = "ms"
    if method:
        result_values["method"] = method
    verdict = {"absent": "feed-forward absent", "present": "feed-forward present"}.get(
        category, "not judged (only fast movements are)"
    )
    return TestResult(
        test="feedforward_timing",
        values=MappingProxyType(result_values),
        units=MappingProxyType(units),
        category=category,
        findings=findings,
        summary=f"{_words(muscle).capitalize()} {latency}; {counts}: {verdict}",
        reference=(
            Evidence(
                code="feedforward_timing.window",
                statement=f"A trial is feed-forward when the trunk onset is {window} from the "
                "prime mover's onset; healthy people pre-activate only in fast movements",
                rule="context only",
                reference=f"{WINDOW_SOURCE}; {DELAY_SOURCE}",
            ),
        ),
    )


FEEDFORWARD_TIMING = PhysicalTest(
    id="feedforward_timing",
    name="Feed-forward trunk muscle timing (EMG)",
    inputs=(
        InputSpec(
            "muscle", "", kind="choice", choices=MUSCLES, help="Trunk muscle whose onset is timed"
        ),
        InputSpec(
            "prime_mover",
            "",
            kind="choice",
            choices=PRIME_MOVERS,
            help="What marks the limb's onset: deltoid EMG, an accelerometer or pose landmarks",
        ),
        InputSpec("movement", "", kind="choice", choices=MOVEMENTS, help="The rapid limb task"),
        InputSpec(
            "speed",
            "",
            kind="choice",
            choices=SPEEDS,
            help="Movement speed; only fast movements are judged (Hodges & Richardson 1997)",
        ),
        InputSpec(
            "trials", "count", minimum=1, maximum=MAX_TRIALS, kind="integer", help="Trials timed"
        ),
        InputSpec(
            "feedforward_trials",
            "count",
            minimum=0,
            maximum=MAX_TRIALS,
            kind="integer",
            help="Trials whose trunk onset fell within −100 to +50 ms of the prime mover",
        ),
        _latency("median_latency_ms", "Median trunk onset minus prime-mover onset (− = before)"),
        _latency("q1_ms", "First quartile of the latencies"),
        _latency("q3_ms", "Third quartile of the latencies"),
        InputSpec("method", "text", kind="text", required=False, help="How onsets were detected"),
    ),
    citations=(
        "Hodges & Richardson, Spine 1996;21:2640 (delayed TrA in LBP)",
        "Hodges & Richardson, Ergonomics 1997;40:1220 (speed dependence)",
        "Hodges & Richardson, Arch Phys Med Rehabil 1999 (recurrent LBP)",
        "Silfies et al., Arch Phys Med Rehabil 2009;90:1159 (−100 to +50 ms window)",
    ),
    evaluator=_evaluate,
)
