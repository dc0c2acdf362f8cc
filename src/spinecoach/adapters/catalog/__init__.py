"""Reads our own content (exercise library, functional tasks, education) from YAML.

Nothing is read at import time: call :func:`load_library` once at start-up.
"""

from spinecoach.adapters.catalog.loader import CONTENT_ROOT, load_analyzers, load_library

__all__ = ["CONTENT_ROOT", "load_analyzers", "load_library"]
