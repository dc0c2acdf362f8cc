"""Clinic-installed questionnaire text packs, read from YAML files.

Nothing is read at import time: call :func:`load_catalog` (usually with
``settings.text_packs``) once at start-up.
"""

from spinecoach.adapters.textpacks.yaml_packs import (
    load_catalog,
    load_text_pack,
    load_text_packs,
    text_pack_from_data,
)
from spinecoach.domain.text_packs import TextPackCatalog

__all__ = [
    "TextPackCatalog",
    "load_catalog",
    "load_text_pack",
    "load_text_packs",
    "text_pack_from_data",
]
