"""Int8 Linear layers whose output for one row never depends on the other rows of the batch.

torch's dynamic int8 Linear (quantize_dynamic) quantizes its input with one scale for the whole
call, taken from the largest value anywhere in the batch: the same text decoded alone and beside
a text with larger activations came out differently, though its cache key was the same. Here each
row (each token's vector) is divided by its own largest magnitude first, and one constant row
holding +1 and -1 goes along, so the call's range is always exactly [-1, 1]: every row is
quantized with a scale of its own (per-token activation scales), the integer products are exact,
and the output is multiplied back by the row's scale. The product is fbgemm's int8 kernel, the
same one quantize_dynamic uses, on the same int8 weights.
"""
from __future__ import annotations

import threading
import warnings
from typing import Any, Sequence

import torch

from .pages import page_out

# reduce_range: 7-bit activations, as torch's own dynamic Linear asks of fbgemm (8 bits can
# saturate the 16-bit intermediate sums of its AVX2/AVX-512 kernels)
REDUCE_RANGE = True
TINY = 1e-30  # an all-zero row keeps scale TINY, not 0, and comes out as zeros
# fbgemm's product, resolved once: calling it through torch.ops' overload packet runs Python
# checks of the arguments before every product, and a decoding step makes dozens of small ones
_LINEAR = torch.ops.quantized.linear_dynamic.default
SCRATCH_ROWS = 256  # calls of up to this many rows (decoding steps) reuse one buffer per width


class RowInt8Linear(torch.nn.Module):
    """y = x W^T + b with W in int8 (a scale per output channel) and x quantized row by row."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        """weight: per-channel qint8 (out, in); bias: float (out,) or None."""
        super().__init__()
        self.out_features, self.in_features = weight.shape
        self.qweight = weight
        self.packed = torch.ops.quantized.linear_prepack(weight, None)  # the bias is added after scaling
        self.bias = None if bias is None else torch.nn.Parameter(bias.detach().clone(), requires_grad=False)

    @classmethod
    def from_float(cls, linear: torch.nn.Linear) -> RowInt8Linear:
        return cls(quantize_weight(linear.weight.detach().float()), linear.bias)

    @classmethod
    def fused(cls, parts: Sequence[RowInt8Linear]) -> RowInt8Linear | None:
        """One layer giving the outputs of `parts` (same input) side by side, with the same numbers;
        None when some parts have a bias and others not."""
        biases = [part.bias for part in parts]
        if any(bias is None for bias in biases) and any(bias is not None for bias in biases):
            return None
        weights = [part.qweight for part in parts]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # quantized tensor creation is marked deprecated (see quantize_weight)
            weight = torch.quantize_per_channel(
                torch.cat([w.dequantize() for w in weights]), torch.cat([_channel_scales(w) for w in weights]),
                torch.zeros(sum(len(w) for w in weights), dtype=torch.long), 0, torch.qint8)
        return cls(weight, None if biases[0] is None else torch.cat(biases))

    def forward(self, x: torch.Tensor, plus: torch.Tensor | None = None) -> torch.Tensor:
        """x W^T + b, and `plus` (broadcast over the rows) added in the same pass when given."""
        rows = x.reshape(-1, self.in_features)
        if rows.dtype != torch.float32:
            rows = rows.float()
        count = rows.shape[0]
        scale = rows.abs().amax(-1, keepdim=True).clamp_min_(TINY)
        scaled = _bounded(count, self.in_features)
        torch.div(rows, scale, out=scaled[1:])
        products = _LINEAR(scaled, self.packed, REDUCE_RANGE)[1:]
        # each output row scaled back and the bias added in one pass, element by element: the
        # same numbers at any position of any batch. In place: the vocabulary-wide output of a
        # step is megabytes, and a second one would be another allocation and pass over memory
        bias = self.bias if plus is None else plus if self.bias is None else self.bias + plus
        products = products.mul_(scale) if bias is None else torch.addcmul(bias, products, scale, out=products)
        output = products.view(*x.shape[:-1], self.out_features)
        return output if x.dtype == torch.float32 else output.to(x.dtype)

    def weight(self) -> torch.Tensor:
        """The int8 weight. A method, as on torch's quantized layers: model code that checks for a
        float `weight` tensor (T5's feed-forward casts to its dtype) leaves this layer alone."""
        return self.qweight

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class _Scratch(threading.local):
    """Per thread, so that two threads decoding at once never share a buffer."""

    def __init__(self) -> None:
        self.buffers: dict[int, torch.Tensor] = {}


_SCRATCH = _Scratch()


def _with_bounds(rows: int, width: int) -> torch.Tensor:
    """A (rows + 1, width) buffer whose row 0 holds +1, zeros and -1."""
    buffer = torch.empty((rows + 1, width))
    buffer[0].zero_()
    buffer[0, 0], buffer[0, -1] = 1.0, -1.0
    return buffer


def _bounded(count: int, width: int) -> torch.Tensor:
    """(count + 1, width): row 0 holds +1 and -1, rows 1.. are for the scaled input. A decoding
    step's call reuses its width's buffer, whose row 0 is written once (a fresh buffer and the
    copy of the bounds cost as much as the arithmetic of scaling a few rows); a larger call (an
    encoder pass) gets a buffer of its own, so no long-lived buffer grows to its size."""
    if count > SCRATCH_ROWS:
        return _with_bounds(count, width)
    buffer = _SCRATCH.buffers.get(width)
    if buffer is None:
        # a normal tensor even when made in inference mode: one made there could not be written
        # by a later call outside it
        with torch.inference_mode(False):
            buffer = _SCRATCH.buffers[width] = _with_bounds(SCRATCH_ROWS, width)
    return buffer[:count + 1]


def quantize_weight(weight: torch.Tensor) -> torch.Tensor:
    """Symmetric int8 with one scale, as torch's dynamic quantization picks it for weights: fbgemm
    multiplied by it 3-7 % faster than by a scale per channel (512x65001 at 64 rows: 13.4 against
    14.0 ms on one thread). Fused layers keep each part's scale as scales per channel."""
    with warnings.catch_warnings():
        # torch marks eager-mode quantization deprecated in favour of torchao, a dependency we
        # do not take; these calls still work in every torch this project supports.
        warnings.simplefilter("ignore")
        observer = torch.ao.quantization.MinMaxObserver(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric)
        observer(weight)
        scale, zero = observer.calculate_qparams()
        return torch.quantize_per_tensor(weight, float(scale), int(zero), torch.qint8)


def _channel_scales(weight: torch.Tensor) -> torch.Tensor:
    """The scale of each output channel of an int8 weight, per tensor or per channel."""
    if weight.qscheme() == torch.per_tensor_affine:
        return torch.full((weight.shape[0],), weight.q_scale(), dtype=torch.double)
    return weight.q_per_channel_scales()


def quantize_int8(model: Any) -> Any:
    """Every Linear layer to RowInt8Linear, in place and one layer at a time: each float32 weight
    is paged out (pages.py) as soon as its replacement exists. Embeddings stay float32."""
    linears = [(parent, name, child) for parent in model.modules() for name, child in parent.named_children()
               if type(child) is torch.nn.Linear]
    for parent, name, linear in linears:
        setattr(parent, name, RowInt8Linear.from_float(linear))
        page_out(linear.weight)
    return model
