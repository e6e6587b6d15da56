"""Self-check helpers whose failures say what was expected and what was found.

Lab notebooks call these in their visible test cells, so a student sees
``expected shape (3, 3), got (3,)`` instead of a bare ``AssertionError``. Every helper
raises :class:`CheckFailed` (a subclass of ``AssertionError``, so nbgrader counts it as a
failed test) and returns nothing on success.

Messages give context: ``index_names=("frame",)`` turns "at index (12,)" into "at frame 12";
a NaN says where NaN usually comes from, plus a task-specific ``nan_hint``; and
:func:`check_finite` in a later "try it" cell names the task whose function produced a NaN
(``source="ndcg_at_k (Task 5)"``), so the student knows where to look.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class CheckFailed(AssertionError):
    """A self-check did not pass; the message says what was expected and what was found."""


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    if hasattr(value, "shape") and hasattr(value, "dtype"):  # torch tensors, pandas
        return f"{type(value).__name__} of shape {tuple(value.shape)} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:200]


def check_type(name: str, value: Any, expected: type | tuple[type, ...]) -> None:
    """Check that ``value`` is an instance of ``expected``."""
    if not isinstance(value, expected):
        names = (
            " or ".join(t.__name__ for t in expected)
            if isinstance(expected, tuple)
            else expected.__name__
        )
        raise CheckFailed(f"{name}: expected a {names}, got {_describe(value)}")


def check_shape(name: str, value: Any, expected: Sequence[int | None]) -> None:
    """Check an array-like's shape; ``None`` in ``expected`` matches any size on that axis."""
    shape = getattr(value, "shape", None)
    if shape is None:
        raise CheckFailed(
            f"{name}: expected an array of shape {tuple(expected)}, got {_describe(value)}"
        )
    shape = tuple(shape)
    expected = tuple(expected)
    ok = len(shape) == len(expected) and all(e is None or e == s for s, e in zip(shape, expected, strict=True))
    if not ok:
        shown = tuple("any" if e is None else e for e in expected)
        raise CheckFailed(f"{name}: expected shape {shown}, got {shape}")


def check_dtype(name: str, value: Any, kind: str) -> None:
    """Check a NumPy array's dtype kind: ``"f"`` float, ``"i"`` signed int, ``"iu"`` any int,
    ``"b"`` bool, ``"U"`` string; several letters accept any of them."""
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        raise CheckFailed(f"{name}: expected an array of dtype kind {kind!r}, got {_describe(value)}")
    actual = np.dtype(dtype).kind if not hasattr(dtype, "is_floating_point") else (
        "f" if dtype.is_floating_point else "i"
    )
    if actual not in kind:
        names = {"f": "float", "i": "signed integer", "u": "unsigned integer", "b": "bool", "U": "string"}
        wanted = " or ".join(names.get(k, k) for k in kind)
        raise CheckFailed(f"{name}: expected a {wanted} dtype, got {dtype}")


NAN_CAUSES = "NaN comes from 0/0, inf/inf, inf - inf or the log or square root of a negative number"
INF_CAUSES = "inf comes from dividing a non-zero number by 0 or from log(0)"


def _where(idx: tuple[int, ...], index_names: Sequence[str] | None) -> str:
    """'at frame 12' / 'at filter 3, FFT bin 5' with names, else 'at index (12,)'."""
    if not idx:
        return ""
    if index_names and len(index_names) == len(idx):
        return " at " + ", ".join(f"{name} {i}" for name, i in zip(index_names, idx, strict=True))
    return f" at index {idx}"


def _non_finite_message(name: str, got: np.ndarray, idx: tuple[int, ...], index_names, nan_hint, source) -> str:
    value = got[idx] if got.ndim else got
    n_bad = int((~np.isfinite(got)).sum())
    count = f" ({n_bad} of {got.size} values)" if got.ndim else ""
    cause = NAN_CAUSES if np.isnan(value) else INF_CAUSES
    message = f"{name}: got {value}{_where(idx, index_names)} where a finite number was expected{count}; {cause}"
    if nan_hint:
        message += f". Likely here: {nan_hint}"
    if source:
        message += (f". These values come from {source}: run that task's self-check again and fix "
                    "it first")
    return message + "."


def check_close(
    name: str,
    value: Any,
    expected: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    index_names: Sequence[str] | None = None,
    nan_hint: str | None = None,
) -> None:
    """Check numbers or arrays agree within ``atol + rtol * |expected|`` element-wise.

    The message names the first element that differs (``index_names``, one name per axis
    such as ``("frame",)`` or ``("filter", "FFT bin")``, say what the index means), the two
    values and the tolerance. A NaN or inf where a number was expected gets its own message
    with the usual causes and ``nan_hint`` (the likely cause in this task).
    """
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{name}: expected numbers, got {_describe(value)}") from None
    want = np.asarray(expected, dtype=float)
    if got.shape != want.shape:
        raise CheckFailed(f"{name}: expected shape {want.shape}, got {got.shape}")
    surprise = ~np.isfinite(got) & np.isfinite(want)
    if surprise.any():
        idx = tuple(int(i) for i in np.argwhere(surprise)[0]) if got.ndim else ()
        raise CheckFailed(_non_finite_message(name, got, idx, index_names, nan_hint, None))
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        idx = tuple(int(i) for i in np.argwhere(~close)[0]) if got.ndim else ()
        where = _where(idx, index_names)
        n_bad = int((~close).sum())
        raise CheckFailed(
            f"{name}: expected {want[idx]:.6g}{where}, got {got[idx]:.6g} "
            f"(tolerance {atol:g} + {rtol:g}*|expected|; {n_bad} of {close.size} values differ)"
        )


def check_finite(
    name: str,
    value: Any,
    *,
    source: str | None = None,
    nan_hint: str | None = None,
    index_names: Sequence[str] | None = None,
) -> None:
    """Check that a number or array holds no NaN or infinite values.

    Use it in a "try it" cell that combines earlier tasks: ``source`` names the function and
    task the values come from (``"ndcg_at_k (Task 5)"``), so a NaN points back to where it
    was made instead of surfacing as a puzzling error in a plot further down.
    """
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed(f"{name}: expected numbers, got {_describe(value)}") from None
    bad = ~np.isfinite(got)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0]) if got.ndim else ()
        raise CheckFailed(_non_finite_message(name, got, idx, index_names, nan_hint, source))


def check_equal(name: str, value: Any, expected: Any) -> None:
    """Check exact equality (lists, tuples, strings, integer arrays)."""
    if isinstance(expected, np.ndarray) or isinstance(value, np.ndarray):
        same = np.shape(value) == np.shape(expected) and bool(np.all(np.asarray(value) == expected))
    else:
        same = value == expected
    if not same:
        raise CheckFailed(f"{name}: expected {expected!r}, got {value!r}"[:500])


def check_true(condition: bool, message: str) -> None:
    """Fail with ``message`` (which should say what was expected and found) unless true."""
    if not condition:
        raise CheckFailed(message)


def value_and_grad(fn, *args, wrt: Sequence[int] = (0,), **kwargs):
    """Call ``fn(*args, **kwargs)`` and differentiate its scalar result w.r.t. some arguments.

    ``args[i]`` for ``i`` in ``wrt`` must be torch tensors; they are copied and made to require
    gradients, so the caller's tensors are untouched. Returns ``(value, grads)``: the result as
    a Python float and a tuple with one gradient tensor (or ``None`` when the result does not
    depend on that argument) per index in ``wrt``. Fails with :class:`CheckFailed` when the
    result is not a torch scalar connected to the inputs (e.g. it went through NumPy).

    Lab tests use this instead of calling ``.backward()`` themselves, because the grader runs
    tests in a separate process from student code: a student's function object may then be a
    proxy, which provides ``__value_and_grad__`` to do the same on the student's side.
    """
    remote = getattr(type(fn), "__value_and_grad__", None)
    if remote is not None:
        return remote(fn, args, tuple(wrt), kwargs)
    import torch

    args = list(args)
    for index in wrt:
        if not isinstance(args[index], torch.Tensor):
            raise CheckFailed(f"value_and_grad: argument {index} must be a torch tensor, got {_describe(args[index])}")
        args[index] = args[index].detach().clone().requires_grad_(True)
    result = fn(*args, **kwargs)
    name = getattr(fn, "__name__", "the function")
    if not isinstance(result, torch.Tensor) or result.numel() != 1:
        raise CheckFailed(f"{name}: expected a torch scalar (a tensor with one element), got {_describe(result)}")
    if not result.requires_grad:
        raise CheckFailed(
            f"{name}: the result is not connected to its inputs, so no gradient can flow back "
            "(did it go through NumPy, .item(), float() or .detach()?)"
        )
    inputs = [args[index] for index in wrt]
    grads = torch.autograd.grad(result.reshape(()), inputs, allow_unused=True)
    return float(result.detach()), tuple(None if g is None else g.detach() for g in grads)
