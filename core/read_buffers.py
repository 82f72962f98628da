"""Arrays a reader fills again and again, kept instead of allocated afresh for every read chunk.

A fresh array of tens of MB costs the kernel a page fault per 4 KiB page when it is first written: on a
virtual machine, reading a year of hourly forcing that way spent more time in those faults than in reading
the file. A reader that is given ``ReadBuffers`` writes into arrays it keeps (grown when a chunk is larger);
each array is overwritten by the next read with the same ``ReadBuffers``, so a reader that reads ahead while
the previous chunk is computed alternates two of them (``core.fluxscheme_run``).
"""
from __future__ import annotations

from typing import Hashable, Optional

import numpy as np


class ReadBuffers:
    """Reusable arrays by role: ``array(role, shape)`` is a view of a kept flat buffer of at least that size."""

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


def buffer_for(buffers: Optional[ReadBuffers], role: Hashable, shape: tuple, dtype=np.float64) -> np.ndarray:
    """``buffers.array(role, shape)``, or a fresh array without ``buffers``."""
    return np.empty(shape, dtype=dtype) if buffers is None else buffers.array(role, shape, dtype)
