"""Hand the pages behind a tensor back to the OS.

transformers maps a safetensors checkpoint into memory and its float32 weights stay backed by
the file; every page read while quantizing counts in the process's resident memory until the
whole mapping is released, so quantizing mT5-base peaked at the float32 checkpoint's size plus
the int8 copies (docs/performance.md, "Speed"). Paging out each weight once its int8 copy exists keeps only
the pages still in use.
"""
from __future__ import annotations

import ctypes
import mmap
import sys

import torch

# Linux 5.4+: reclaim the pages (clean file pages are dropped, anonymous ones swapped if there is
# swap); never destroys data, unlike MADV_DONTNEED. Python's mmap module lacks the constant.
MADV_PAGEOUT = 21


def page_out(tensor: torch.Tensor) -> bool:
    """Ask the kernel to reclaim the whole pages inside `tensor`'s memory (Linux, CPU tensors).
    False where it cannot (another OS, an old kernel, less than a page): the data stays valid
    either way."""
    if sys.platform != "linux" or tensor.device.type != "cpu":
        return False
    start, size = tensor.data_ptr(), tensor.numel() * tensor.element_size()
    first = -(-start // mmap.PAGESIZE) * mmap.PAGESIZE
    last = (start + size) // mmap.PAGESIZE * mmap.PAGESIZE
    return last > first and ctypes.CDLL(None).madvise(ctypes.c_void_p(first), ctypes.c_size_t(last - first),
                                                       MADV_PAGEOUT) == 0
