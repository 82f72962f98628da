"""Exceptions that carry a message meant for the user (it names the file and what was expected)."""
from __future__ import annotations

from typing import Callable


class InputError(ValueError):
    """Bad input: the message says which file, band or column and what was expected."""


class RunCancelled(RuntimeError):  # noqa: N818 (a cancel is not an error of the user's)
    """The user cancelled a run; no output was left behind."""


def check_cancel(is_cancelled: Callable[[], bool] | None) -> None:
    """Raise RunCancelled when the caller's ``is_cancelled`` callback says so."""
    if is_cancelled is not None and is_cancelled():
        raise RunCancelled("cancelled by the user")
