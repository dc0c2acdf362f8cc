"""The one error the analysis layer raises for bad input.

It names the parameter, what was expected and what came, like the domain's ``InvalidInput``;
the analysis layer cannot import the domain, so the edge (CLI, web) catches both.
"""

from __future__ import annotations


class AnalysisError(ValueError):
    """An input the analysis cannot use: ``field`` names it, ``problem`` says why."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
