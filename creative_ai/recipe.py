"""Recipes: how to rebuild a package object in another process.

The grader runs a lab's test cells in a process that never executes student code, and the
student's functions in a sandboxed process (see ``autograder/README.md``). Plain data crosses
between them by value; a few package objects that tests pass to student functions — a
pretrained feature extractor, say — cannot be copied, so the package function that builds them
attaches a *recipe*: the import path of the function and the (plain-data) arguments to call it
with. The other process rebuilds an equal object by calling the same function.
"""

from __future__ import annotations

import importlib
from typing import Any, TypeVar

T = TypeVar("T")
ATTRIBUTE = "__creative_ai_recipe__"


def with_recipe(obj: T, function, *args: Any, **kwargs: Any) -> T:
    """Attach to ``obj`` the recipe ``function(*args, **kwargs)`` and return ``obj``.

    ``function`` must be a module-level function of ``creative_ai`` and the arguments plain
    data (numbers, strings, tuples, lists, dicts), so the recipe can be sent as text.
    """
    module = getattr(function, "__module__", "")
    if not module.startswith("creative_ai"):
        raise ValueError(f"a recipe must call a creative_ai function, got {module}.{function.__qualname__}")
    object.__setattr__(obj, ATTRIBUTE, (f"{module}:{function.__qualname__}", args, kwargs))
    return obj


def recipe_of(obj: Any) -> tuple[str, tuple, dict] | None:
    """The recipe attached to ``obj`` by :func:`with_recipe`, or None."""
    return getattr(obj, ATTRIBUTE, None)


def rebuild(recipe: tuple[str, tuple, dict]) -> Any:
    """Call a recipe's function: the object it describes, built afresh in this process."""
    path, args, kwargs = recipe
    module_name, _, qualname = path.partition(":")
    if not module_name.startswith("creative_ai"):
        raise ValueError(f"refusing to rebuild from {path!r}: only creative_ai functions may build objects")
    target = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target(*args, **kwargs)
