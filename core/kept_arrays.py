"""Arrays filled again and again (read chunks, a compute block's temporaries), kept instead of allocated afresh.

A fresh array of more than 128 KiB comes from the kernel (glibc's mmap threshold, or the top of the heap it has
just given back), which faults in each 4 KiB page when the array is first written: on a virtual machine, reading
and computing a year of hourly forcing that way spent more time in those faults than in reading the file, and more
the smaller the windows. A reader or a compute step given ``KeptArrays`` writes into arrays it keeps (grown when a
chunk is larger); each array is overwritten by the next use of its role, so a reader that reads ahead while the
previous chunk is computed alternates two of them (``core.fluxscheme_run``).
"""
from __future__ import annotations

from typing import Hashable, Optional

import numpy as np


class KeptArrays:
    """Reusable arrays by role: ``array(role, shape, dtype)`` is a view of a kept flat buffer of at least that size.
    Not for several threads at once."""

    def __init__(self):
        self._buffers = {}

    def array(self, role: Hashable, shape: tuple, dtype=np.float64) -> np.ndarray:
        """An uninitialised array of ``shape`` for ``role``; the previous array of that role is overwritten."""
        dtype = np.dtype(dtype)
        size = int(np.prod(shape, dtype=np.int64))
        kept = self._buffers.get((role, dtype))
        if kept is None or kept.size < size:
            kept = np.empty(size, dtype=dtype)
            self._buffers[(role, dtype)] = kept
        return kept[:size].reshape(shape)


def kept_or_new(buffers: Optional[KeptArrays], role: Hashable, shape: tuple, dtype=np.float64) -> np.ndarray:
    """``buffers.array(role, shape)``, or a fresh array without ``buffers``."""
    return np.empty(shape, dtype=dtype) if buffers is None else buffers.array(role, shape, dtype)
