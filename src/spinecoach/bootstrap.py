"""Wires adapters into services, once, at start-up: ``build(settings) -> Services``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from spinecoach.adapters.catalog import load_analyzers, load_library
from spinecoach.adapters.db.care import SqlCareUnitOfWork
from spinecoach.adapters.db.engine import make_engine, sqlite_file, upgrade
from spinecoach.adapters.db.repositories import SqlUnitOfWork
from spinecoach.adapters.passwords import Argon2Passwords
from spinecoach.adapters.plots import plot_simulations
from spinecoach.adapters.plots.trajectories import MAX_LINES
from spinecoach.adapters.textpacks import load_catalog, load_text_pack, load_text_packs
from spinecoach.analysis.exercise import AnalyzerSpec
from spinecoach.analysis.report import ExerciseReport
from spinecoach.analysis.timeseries import LandmarkSeries, TimeSeries
from spinecoach.config import Settings
from spinecoach.domain.engine.simulator import Simulation
from spinecoach.domain.errors import DomainError, InvalidInput
from spinecoach.domain.library import Library, Problem, validate_library
from spinecoach.domain.text_packs import TextPackCatalog
from spinecoach.services.accounts import AccountService
from spinecoach.services.care import CareService
from spinecoach.services.clinic import ClinicService, SystemClock
from spinecoach.services.ports import Clock, PasswordHasher
from spinecoach.services.sensors import EmgAnalysis, ImuAnalysis, SensorService

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@lru_cache(maxsize=1)
def load_content() -> Library:
    """The packaged exercise library, tasks and education, checked; read once per process.

    A broken library is an installation problem, not a user error: it stops start-up with the
    first problem named (``spinecoach library validate`` lists them all).
    """
    try:
        library = load_library()
    except DomainError as error:
        raise SetupError(f"content: {error}") from None
    problems = validate_library(library)
    if problems:
        raise SetupError(f"content: {problems[0]} (and {len(problems) - 1} more)")
    return library


def check_content(path: Path | None = None) -> tuple[Library, tuple[Problem, ...]]:
    """Load content (the packaged library, or a folder laid out the same way) and list every
    problem. A folder that is not there raises :class:`SetupError`; a file that cannot be read
    at all raises :class:`ContentUnreadable` with that first problem."""
    if path is not None and not path.is_dir():
        raise SetupError(f"{path}: {'not a folder' if path.exists() else 'no such folder'}")
    try:
        library = load_library(path)
    except InvalidInput as error:
        raise ContentUnreadable(Problem(error.field, error.problem)) from None
    except DomainError as error:
        raise SetupError(str(error)) from None
    return library, validate_library(library)


@lru_cache(maxsize=1)
def load_analyzer_specs() -> dict[str, AnalyzerSpec]:
    """The packaged movement analyzers, checked; read once per process."""
    try:
        return load_analyzers()
    except DomainError as error:
        raise SetupError(f"content: {error}") from None


def read_recording(
    path: Path,
    *,
    format: str = "auto",
    model: str = "full",
    progress: Callable[[int, int], None] | None = None,
    mirrored: bool = False,
) -> LandmarkSeries:
    """A landmark file or a video as a landmark series (raises InvalidInput on a bad file).

    The sensors package is imported here, not at start-up: only commands that read recordings
    pay for it (video pulls in MediaPipe).
    """
    from spinecoach.adapters.sensors import read_recording as read

    return read(path, format=format, model=model, progress=progress, mirrored=mirrored)


def check_landmarks_path(path: Path) -> None:
    """Refuse an output file spinecoach could not write, before a long extraction runs."""
    if path.suffix.lower() != ".csv":
        raise SetupError(f"--output: {path} must end in .csv")
    if not path.parent.is_dir():
        raise SetupError(f"--output: folder {path.parent} does not exist")


def write_landmarks(series: LandmarkSeries, path: Path) -> Path:
    """Write landmarks as our documented CSV (docs/formats.md)."""
    from spinecoach.adapters.sensors.landmarks_csv import write_landmarks_csv

    check_landmarks_path(path)
    try:
        write_landmarks_csv(series, path)
    except OSError as error:
        raise SetupError(f"-o: cannot write {path} ({error.strerror or error})") from None
    return path


def write_analysis_plot(series: LandmarkSeries, report: ExerciseReport, path: Path) -> Path:
    """Plot an exercise analysis (signals, repetitions, faults) to ``path``."""
    from spinecoach.adapters.plots.analysis import plot_analysis

    check_plot_path(path)
    try:
        return plot_analysis(series, report, path)
    except OSError as error:
        raise SetupError(f"--plot: cannot write {path} ({error.strerror or error})") from None


def read_signals(path: Path) -> tuple[TimeSeries, ...]:
    """Read a sensor recording (EDF/BDF, C3D analog, OpenSignals HDF5, CSV layouts, MEx):
    one series per sampling rate (docs/sensors.md)."""
    from spinecoach.adapters.sensors.signals import read_signals as read

    return read(path)


def emg_plot_png(analysis: EmgAnalysis) -> bytes:
    """The EMG figure as PNG bytes (the web page shows it inline)."""
    from spinecoach.adapters.plots.sensors import emg_figure, figure_png

    return figure_png(_emg_figure(analysis, emg_figure))


def imu_plot_png(analysis: ImuAnalysis) -> bytes:
    """The IMU figure as PNG bytes."""
    from spinecoach.adapters.plots.sensors import figure_png, imu_figure

    return figure_png(imu_figure(analysis.report, source=analysis.source, lumbar=analysis.lumbar))


def write_emg_plot(analysis: EmgAnalysis, path: Path) -> Path:
    """Plot an EMG analysis (envelopes, onsets, prime-mover trials, phases) to ``path``."""
    from spinecoach.adapters.plots.sensors import emg_figure, write_figure

    check_plot_path(path)
    try:
        return write_figure(_emg_figure(analysis, emg_figure), path)
    except OSError as error:
        raise SetupError(f"--plot: cannot write {path} ({error.strerror or error})") from None


def write_imu_plot(analysis: ImuAnalysis, path: Path) -> Path:
    """Plot an IMU analysis (inclination, repetitions, holds) to ``path``."""
    from spinecoach.adapters.plots.sensors import imu_figure, write_figure

    check_plot_path(path)
    try:
        return write_figure(
            imu_figure(analysis.report, source=analysis.source, lumbar=analysis.lumbar), path
        )
    except OSError as error:
        raise SetupError(f"--plot: cannot write {path} ({error.strerror or error})") from None


def _emg_figure(analysis: EmgAnalysis, draw: Callable[..., Figure]) -> Figure:
    return draw(
        analysis.report,
        source=analysis.source,
        prime_mover=analysis.prime_mover,
        prime_onsets_s=analysis.prime_onsets_s,
        flexion=analysis.flexion,
    )


# The plot draws this many patients at most: more lines would be unreadable.
PLOTTED_PATIENTS_MAX = MAX_LINES


def check_plot_path(path: Path) -> None:
    """Refuse a plot file spinecoach could not write, before a long simulation runs: an
    unknown format, or a folder that does not exist (never created silently)."""
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise SetupError(f"--plot: {path} must end in .png, .svg or .pdf")
    if not path.parent.is_dir():
        raise SetupError(f"--plot: folder {path.parent} does not exist")


def write_simulation_plot(simulations: Sequence[Simulation], path: Path) -> Path:
    """Plot simulated trajectories to ``path`` (PNG, SVG or PDF by its suffix)."""
    check_plot_path(path)
    try:
        return plot_simulations(simulations, path)
    except OSError as error:
        raise SetupError(f"--plot: cannot write {path} ({error.strerror or error})") from None


class SetupError(Exception):
    """The installation cannot start (database unreachable, bad setting); one-line message."""


class ContentUnreadable(SetupError):
    """A content file that cannot be read at all (bad YAML, schema, encoding): where, what."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Services:
    """Everything the entry points may call."""

    clinic: ClinicService
    care: CareService
    accounts: AccountService
    sensors: SensorService
    text_packs: TextPackCatalog
    settings: Settings
    engine: Engine
    migrated: bool

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    migrate: bool = True,
    passwords: PasswordHasher | None = None,
) -> Services:
    """Create the engine, bring the schema up to date and assemble the services.

    Migrating at start-up keeps the two-command promise: a fresh machine's first command
    finds a ready database. ``migrate=False`` is for tools that only inspect.
    """
    try:
        text_packs = load_catalog(settings.text_packs)
    except DomainError as error:
        raise SetupError(f"SPINECOACH_TEXT_PACKS: {error}") from None
    url = settings.resolved_database_url
    try:
        _prepare_sqlite_folder(url, create=settings.database_url is None)
        engine = make_engine(url)
        migrated = upgrade(engine) if migrate else False
    except (ArgumentError, NoSuchModuleError) as error:
        raise SetupError(
            f"SPINECOACH_DATABASE_URL: not a usable database URL ({_first_line(error)}); "
            "expected e.g. sqlite:///path/to/file.db or postgresql+psycopg://user@host/db"
        ) from None
    except ImportError as error:
        raise SetupError(
            f"SPINECOACH_DATABASE_URL: no driver for {make_url(url).get_backend_name()} "
            f"({_first_line(error)}); spinecoach supports SQLite and PostgreSQL"
        ) from None
    except OperationalError as error:
        reason = _first_line(error.orig) if error.orig else _first_line(error)
        raise SetupError(f"database: cannot open {_redacted(url)} ({reason})") from None
    factory = sessionmaker(bind=engine, expire_on_commit=False, class_=Session)
    clock = clock or SystemClock()
    clinic = ClinicService(uow_factory=lambda: SqlUnitOfWork(factory), clock=clock)
    care_factory = lambda: SqlCareUnitOfWork(factory)  # noqa: E731
    care = CareService(uow_factory=care_factory, clock=clock, clinic=clinic, library=load_content)
    return Services(
        clinic=clinic,
        care=care,
        sensors=SensorService(
            care, read=read_signals, plot_emg=emg_plot_png, plot_imu=imu_plot_png
        ),
        accounts=AccountService(
            uow_factory=care_factory, clock=clock, passwords=passwords or Argon2Passwords()
        ),
        text_packs=text_packs,
        settings=settings,
        engine=engine,
        migrated=migrated,
    )


def web_assets_dir() -> Path:
    """Where ``make setup`` put the web app's npm files (htmx, Chart.js, MediaPipe Pose)."""
    from spinecoach.adapters.web_assets import default_assets_dir

    return default_assets_dir()


def missing_web_assets() -> list[str]:
    """The web app's npm files that are missing (empty when set-up is complete)."""
    from spinecoach.adapters.web_assets import missing_assets

    return missing_assets(web_assets_dir())


def check_text_packs(path: Path) -> TextPackCatalog:
    """Load and validate a text pack file or a directory of them (raises InvalidInput)."""
    if path.is_dir():
        return load_text_packs(path)
    return TextPackCatalog.of([load_text_pack(path)])


def _prepare_sqlite_folder(url: str, *, create: bool) -> None:
    """Create the default data folder; an explicitly configured folder must already exist."""
    path = sqlite_file(url)
    if path is None:
        return
    folder = path.parent
    if create:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SetupError(
                f"SPINECOACH_DATA_DIR: cannot create {folder} ({error.strerror or error})"
            ) from None
    elif not folder.is_dir():
        raise SetupError(f"SPINECOACH_DATABASE_URL: folder {folder} does not exist")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _redacted(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
