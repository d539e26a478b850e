"""Numeric precision per machine: what `precision = "auto"` becomes, and how a model gets there.

Measured with `summarizer bench` on a 2-core AVX-512 CPU with avx512_bf16 but no AMX (docs/performance.md,
"Speed"): dynamic int8 Linear layers decode fastest, ahead of bfloat16, ahead of float32.
bfloat16 only pays on CPUs with AMX tiles (oneDNN runs bf16 matmuls on them; the int8 kernels
do not use them), so auto picks it there. On GPUs half precision wins; T5-family activations
overflow float16, so those get bfloat16 or float32 instead.
"""
from __future__ import annotations

import functools
from pathlib import Path

import torch

FLOATS = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
NO_FLOAT16 = ("t5", "mt5", "umt5")
CPUINFO = Path("/proc/cpuinfo")
CACHES = Path("/sys/devices/system/cpu/cpu0/cache")
_UNITS = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


@functools.lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags (Linux); empty elsewhere, which keeps auto off bfloat16."""
    try:
        text = CPUINFO.read_text(encoding="ascii", errors="replace")
    except OSError:
        return frozenset()
    line = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return frozenset(line.partition(":")[2].split())


@functools.lru_cache(maxsize=1)
def last_cache_bytes() -> int:
    """Size of the CPU's largest cache level (Linux sysfs); 0 where unknown."""
    sizes = []
    for index in CACHES.glob("index*"):
        try:
            text = (index / "size").read_text(encoding="ascii").strip()
        except OSError:
            continue
        sizes.append(int(text[:-1]) * _UNITS[text[-1]] if text[-1:] in _UNITS else int(text or 0))
    return max(sizes, default=0)


def narrow_keys_pay(bytes_per_step: int) -> bool:
    """Whether keys read at every decoding step are better kept in bfloat16: when they outgrow
    the last cache level, so each step reads them from memory, and the CPU has bfloat16 dot
    products (without them bfloat16 arithmetic is emulated and slower than the bytes saved)."""
    native = bool({"avx512_bf16", "amx_bf16"} & cpu_flags())
    return native and 0 < last_cache_bytes() < bytes_per_step


def int8_available() -> bool:
    """Dynamic int8 needs one of torch's quantized CPU engines (x86/fbgemm, or qnnpack on ARM)."""
    return bool({"x86", "fbgemm", "qnnpack"} & set(torch.backends.quantized.supported_engines))


def pick_precision(name: str, device: str, model_type: str) -> str:
    """`name` itself unless "auto"; auto is the fastest precision measured for this device."""
    if name != "auto":
        return name
    if device == "cuda":
        if torch.cuda.is_bf16_supported():
            return "bfloat16"
        return "float32" if model_type in NO_FLOAT16 else "float16"
    if device != "cpu":
        return "float32"  # MPS half precision is unreliable for generation
    if "amx_bf16" in cpu_flags():
        return "bfloat16"
    return "int8" if int8_available() else "float32"


def load_dtype(precision: str) -> torch.dtype:
    """The dtype weights load in; int8 is quantized from float32 after loading."""
    return FLOATS.get(precision, torch.float32)


def pick_backend(name: str) -> str:
    """`name` itself unless "auto", which is torch. Measured (docs/performance.md, "Speed"): on a CPU our own
    loop beats CTranslate2 int8 in greedy decoding (1.6-2.1x) and in beam search (1.4x),
    within 1.7 GiB for both real-size models; GPUs run torch's kernels. CTranslate2 stays a
    choice to make."""
    return "torch" if name == "auto" else name
