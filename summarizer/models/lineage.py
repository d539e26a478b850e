"""Which self-attention cache slots each beam descends from, when the beams of an input share its
cache rows (cache.py, grouped) instead of having the cache reordered at every step.

Each step writes one slot per beam. A beam attends to the slots of its own ancestors only; the
slots of beams that were dropped are then read by nobody, and many slots end up that way, so
they are pruned once they are a quarter of the cache: a copy every few steps instead of one per
step. (Pruning at a half of the cache was slower in paired runs, 4.17 against 3.97 s for the
translation bench's beam search, 5.74 against 5.45 s for the abstracts'.)
"""
from __future__ import annotations

import torch


class Lineage:
    """mask (inputs, 1, beams, slots): True where a slot is the beam's own or its ancestors';
    positions (inputs, slots): the output position each slot was written at."""

    def __init__(self, inputs: int, beams: int, device: torch.device) -> None:
        self.beams, self.position = beams, 0
        # the start token was written once for all beams of an input
        self.mask = torch.ones((inputs, 1, beams, 1), dtype=torch.bool, device=device)
        self.positions = torch.zeros((inputs, 1), dtype=torch.long, device=device)
        self.own = torch.eye(beams, dtype=torch.bool, device=device)[None, None]

    def extend(self) -> None:
        """The step about to run writes one slot per beam, each beam's own."""
        inputs = self.mask.shape[0]
        self.position += 1
        self.mask = torch.cat([self.mask, self.own.expand(inputs, -1, -1, -1)], 3)
        self.positions = torch.cat([self.positions, self.positions.new_full((inputs, self.beams), self.position)], 1)

    def follow(self, rows: torch.Tensor) -> None:
        """New beam j of the batch continues old beam rows[j] (same input)."""
        self.mask = self.mask.view(len(rows), -1)[rows].view(self.mask.shape)

    def keep(self, inputs: torch.Tensor) -> None:
        self.mask, self.positions = self.mask[inputs], self.positions[inputs]

    def prune(self) -> torch.Tensor | None:
        """Once a quarter of the slots are dead (in the input with the most live ones): the live
        slots of each input, in order, padded with dead ones to the same count (inputs, width),
        for the cache to keep; None until then."""
        live = self.mask.any(2)[:, 0]
        width = int(live.sum(1).max())
        if 4 * width > 3 * live.shape[1]:
            return None
        slots = torch.sort((~live).to(torch.uint8), dim=1, stable=True).indices[:, :width]
        self.mask = self.mask.gather(3, slots[:, None, None].expand(-1, 1, self.beams, -1))
        self.positions = self.positions.gather(1, slots)
        return slots
