"""``spinecoach textpack``: check and list the clinic's licensed questionnaire wording."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from spinecoach.bootstrap import check_text_packs
from spinecoach.domain.text_packs import TextPackCatalog

from .common import JSON_OPTION, console, print_json, services, user_errors

app = typer.Typer(help="Questionnaire text packs (licensed wording a clinic installs).")


def _show(catalog: TextPackCatalog, title: str, as_json: bool) -> None:
    if as_json:
        print_json(
            [
                {
                    "instrument": p.instrument,
                    "language": p.language,
                    "version": p.version,
                    "title": p.title,
                    "items": len(p.items),
                }
                for p in catalog
            ]
        )
        return
    table = Table(title=title)
    for column in ("Instrument", "Language", "Version", "Title", "Items"):
        table.add_column(column)
    for pack in catalog:
        table.add_row(
            pack.instrument, pack.language, pack.version, pack.title, str(len(pack.items))
        )
    console.print(table)


@app.command("check")
def check(
    path: Path = typer.Argument(..., help="A pack file (.yaml) or a directory of packs."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Validate text packs before installing them; exit 2 with the first problem."""
    with user_errors():
        catalog = check_text_packs(path)
    _show(catalog, f"{len(catalog)} valid text pack(s) in {path}", as_json)


@app.command("list")
def list_(as_json: bool = JSON_OPTION) -> None:
    """The packs installed in SPINECOACH_TEXT_PACKS (neutral labels are used otherwise)."""
    with user_errors(), services() as built:
        catalog = built.text_packs
        where = built.settings.text_packs
    _show(
        catalog, f"{len(catalog)} text pack(s) installed in {where or '(none configured)'}", as_json
    )
