"""Progress bars that work in JupyterLab, the terminal and under nbgrader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def progress(iterable: Iterable[T], desc: str = "", total: int | None = None, **kwargs) -> Iterable[T]:
    """Wrap a slow loop in a tqdm progress bar (a widget in Jupyter, text elsewhere)."""
    from tqdm.auto import tqdm

    return tqdm(iterable, desc=desc, total=total, **kwargs)
