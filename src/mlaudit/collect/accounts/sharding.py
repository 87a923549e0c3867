"""`--shard I/N`: a deterministic share of the (account, region) units of a scan, for fan-out over CI jobs.

Each unit goes to the shard with the highest hash of (unit, shard) (rendezvous hashing): the choice depends on
the unit alone, never on its position in a list, so adding an account adds units without moving others, and
going from N to N+1 shards moves only the units the new shard takes. Shards are disjoint and together cover
every unit; `mlaudit merge` puts their reports back together.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from mlaudit.core.errors import UserError

SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    index: int
    """1-based."""
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        match = SHARD.match(text)
        if match is None or not 1 <= int(match[1]) <= int(match[2]):
            raise UserError(f"--shard: {text!r} is not I/N with 1 <= I <= N", hint="e.g. --shard 2/8")
        return cls(int(match[1]), int(match[2]))

    def owns(self, account_id: str, region: str) -> bool:
        return owner(account_id, region, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def owner(account_id: str, region: str, count: int) -> int:
    """The shard (1..count) that scans one account's region."""

    def weight(shard: int) -> bytes:
        return hashlib.sha256(f"{account_id}\x1f{region}\x1f{shard}".encode()).digest()

    return max(range(1, count + 1), key=weight)
