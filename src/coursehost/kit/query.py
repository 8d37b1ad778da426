"""List-valued query parameters (``tags``), read the same however a client writes the list.

The official clients join a list with commas (``tags=a,b``); other HTTP clients, and OpenAPI's default for an array
in the query, repeat the parameter (``tags=a&tags=b``). Both forms, and mixtures of them, mean the same list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import Query

# Declared as a list so that FastAPI collects every occurrence; a plain ``str`` keeps only the last one.
CsvList = Annotated[list[str] | None, Query()]


def csv_values(values: Iterable[str] | None) -> list[str]:
    """Every value split on commas and stripped; empty entries dropped, the first of any duplicates kept."""
    return list(dict.fromkeys(part.strip() for value in values or () for part in value.split(",") if part.strip()))
