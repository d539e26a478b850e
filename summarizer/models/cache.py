"""The attention caches of our own step (own_step.py): plain tensors, no transformers classes.

generate()'s cache layer concatenates the whole cache anew at every token, a copy that grows
with the output; the self-attention cache here writes each token into room kept ahead, doubling
when full, and reorders beams into a spare of the same size instead of allocating.

With beams grouped (decode.py), a row of the self-attention cache is one input: each position
holds its beams side by side, and beams are never reordered here. Each beam attends to the slots
it descends from (the lineage the decode loop keeps), so a step copies a small mask instead of
every layer's whole cache; the slots no beam descends from any more are dropped every few steps
(lineage.py). The cross-attention cache holds one copy of each input's encoder keys and values,
a tensor per run of similar input lengths cut to the run's length (attention.py says why).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import torch

if TYPE_CHECKING:
    from .attention import Kept


class GrowingLayer:
    """One layer's self-attention keys and values, (rows, heads, slots, dim) each."""

    def __init__(self, beams: int) -> None:
        self.beams = beams  # grouped per row when above 1
        self.length = 0  # slots filled: positions, times beams when grouped
        self.rooms: list[torch.Tensor] = []  # keys and values, (rows, heads, capacity, dim)
        self.spares: list[torch.Tensor] = []  # the same shape, where beams are reordered into
        self.keys = self.values = torch.empty(0)

    def update(self, key: torch.Tensor, value: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        key, value = (_grouped(states, self.beams, self.length) for states in (key, value))
        end = self.length + key.shape[-2]
        if not self.rooms or end > self.rooms[0].shape[2]:
            self._grow(key, 2 * end)
        for room, states in zip(self.rooms, (key, value)):
            room[:, :, self.length:end] = states
        self.length = end
        self._expose()
        return self.keys, self.values

    def select(self, rows: torch.Tensor) -> None:
        """Keep `rows`, in that order; a reorder writes into the spare rooms, no allocation."""
        if not self.length:
            self.rooms = []
            return
        shape = (len(rows), *self.rooms[0].shape[1:])
        fits = self.spares and self.spares[0].shape == shape
        targets = self.spares if fits else [self.rooms[0].new_empty(shape) for _ in range(2)]
        for source, target in zip(self.rooms, targets):
            torch.index_select(source[:, :, :self.length], 0, rows, out=target[:, :, :self.length])
        self.rooms, self.spares = targets, self.rooms
        self._expose()

    def keep_slots(self, slots: torch.Tensor) -> None:
        """Grouped: keep `slots` (rows, width) of each row, in that order (lineage.py prunes)."""
        _, heads, _, dim = self.rooms[0].shape
        index = slots[:, None, :, None].expand(-1, heads, -1, dim)
        for room in self.rooms:
            room[:, :, :slots.shape[1]] = torch.gather(room[:, :, :self.length], 2, index)
        self.length = slots.shape[1]
        self._expose()

    def _grow(self, states: torch.Tensor, capacity: int) -> None:
        rows, heads, _, dim = states.shape
        rooms = [states.new_empty((rows, heads, capacity, dim)) for _ in range(2)]
        for old, new in zip(self.rooms, rooms):
            new[:, :, :self.length] = old[:, :, :self.length]
        self.rooms, self.spares = rooms, []

    def _expose(self) -> None:
        self.keys, self.values = (room[:, :, :self.length] for room in self.rooms)


class Caches:
    """Both caches of a batch: self-attention per layer, and the cross-attention keys and values
    per layer and run (filled by the first step, one copy per input, in `cross_dtype`)."""

    def __init__(self, layers: int, beams: int, cross_dtype: torch.dtype | None) -> None:
        self.own = [GrowingLayer(beams) for _ in range(layers)]
        self.cross: list[list[tuple[torch.Tensor, torch.Tensor]]] = []
        self.cross_dtype = cross_dtype  # None: the encoder output's
        self.position = 0  # output positions written so far

    def select(self, rows: torch.Tensor, kept: Sequence[Kept]) -> None:
        """Keep self-attention `rows` and of each run of the cross-attention what `kept` says."""
        for layer in self.own:
            layer.select(rows)
        device = rows.device
        picks = [(part.run, torch.tensor(part.rows, device=device), part.length) for part in kept]
        self.cross = [[tuple(states[:, :, :length].index_select(0, index) for states in runs[run])
                       for run, index, length in picks] for runs in self.cross]


def _grouped(states: torch.Tensor, beams: int, filled: int) -> torch.Tensor:
    """(inputs x beams, heads, positions, dim) states as (inputs, heads, positions x beams, dim),
    the beams of each position side by side. The first position is the start token, the same for
    all beams of an input, so it is kept once."""
    if beams == 1:
        return states
    if not filled:
        return states[::beams]
    rows, heads, positions, dim = states.shape
    grouped = states.view(rows // beams, beams, heads, positions, dim).permute(0, 2, 3, 1, 4)
    return grouped.reshape(rows // beams, heads, positions * beams, dim)
