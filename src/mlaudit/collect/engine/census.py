"""The fewest API calls that read what a scan collected: the benchmark's yardstick, derived from the collectors.

Each pattern (and each function collector that declares `minimum`) says what reading one part costs in one scope,
given what that scope holds: a list-then-describe part one list call per page and one describe per resource, an
aspect one call per record it describes. Summed over every collected scope, that is the minimum a scan of the same
estate can make; the benchmark holds mlaudit's real calls to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import GLOBAL_REGION, Inventory, PartScope


def one_call_each(*operations: Operation) -> Counter[str]:
    """One call of each operation: a part read with a single call per scope."""
    return Counter(str(operation) for operation in operations)


def minimum_calls(collectors: Iterable[PartCollector], inventory: Inventory) -> Counter[str]:
    """The fewest calls that read every scope the inventory holds of these collectors' parts."""
    census = Census(inventory)
    skipped = {(scope.account_id, scope.region, scope.service) for scope in inventory.skipped}
    total: Counter[str] = Counter()
    for collector in collectors:
        for account in inventory.accounts:
            if inventory.unreachable(account.account_id) is not None:
                continue
            scopes = (
                [GLOBAL_REGION]
                if collector.record.scope is PartScope.GLOBAL
                else inventory.regions_of(account.account_id)
            )
            for region in scopes:
                if (account.account_id, region, collector.record.service) in skipped:
                    continue  # a service not offered there: nothing was asked
                if inventory.was_collected(collector.record, account.account_id, region):
                    total += collector.minimum_calls(census, account.account_id, region)
    return total
