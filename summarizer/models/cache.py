"""The self-attention cache of our decode loop (decode.py).

generate()'s cache layer concatenates the whole cache anew at every token, a copy that grows
with the output; this one writes each token into room kept ahead, doubling when full, and
reorders beams into a spare of the same size instead of allocating.

With beams grouped (attention by products, decode.py), a row of the cache is one input: each
position holds its beams side by side, and beams are never reordered here. Each beam attends
to the slots it descends from (the lineage the decode loop keeps), so a step copies a small
mask instead of every layer's whole cache; the slots no beam descends from any more are dropped
every few steps (lineage.py).
"""
from __future__ import annotations

import functools
from typing import Any

import torch


@functools.cache
def growing_layer(beams: int = 1) -> type:
    """The layer class, with `beams` grouped per row when above 1 (made on first use, so that
    importing this module loads no transformers)."""
    from transformers.cache_utils import DynamicLayer

    class GrowingLayer(DynamicLayer):
        def lazy_initialization(self, key_states: torch.Tensor, value_states: torch.Tensor) -> None:
            super().lazy_initialization(key_states, value_states)
            self.length = 0  # slots filled: positions, times beams when grouped
            self.positions = 0
            self.rooms: list[torch.Tensor] = []  # keys and values, (rows, heads, capacity, dim)
            self.spares: list[torch.Tensor] = []  # the same shape, where beams are reordered into

        def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args: Any,
                   **kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
            if not self.is_initialized:
                self.lazy_initialization(key_states, value_states)
            self.positions += key_states.shape[-2]
            key_states, value_states = (_grouped(states, beams, self.length) for states in (key_states, value_states))
            end = self.length + key_states.shape[-2]
            if not self.rooms or end > self.rooms[0].shape[2]:
                self._grow(key_states, 2 * end)
            for room, states in zip(self.rooms, (key_states, value_states)):
                room[:, :, self.length:end] = states
            self.length = end
            self._expose()
            return self.keys, self.values

        def get_seq_length(self) -> int:
            return self.positions if self.is_initialized else 0

        def batch_select_indices(self, indices: torch.Tensor) -> None:
            self._select(indices)

        def reorder_cache(self, beam_idx: torch.Tensor) -> None:
            self._select(beam_idx)

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

        def _select(self, rows: torch.Tensor) -> None:
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

        def _expose(self) -> None:
            self.keys, self.values = (room[:, :, :self.length] for room in self.rooms)

    return GrowingLayer


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
