"""Running checks over an inventory. The engine, not each check, decides what becomes ERROR:

- an account that could not be reached (its role could not be assumed) gives one ERROR per check for that account;
- a part that failed to list in a scope gives one ERROR for that scope;
- a resource whose describe failed gives ERROR for that resource;
- a check that asks for data that was not collected, or that raises, gives ERROR for the resource it was judging.

A check never sees a resource it cannot judge as PASS.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any, NamedTuple

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.inventory import GLOBAL_REGION, AccountScope, CollectionError, Inventory, PartScope, Record
from mlaudit.report.findings import Finding, FindingRemediation, Suppression, finding_id
from mlaudit.sdk import Check, CheckContext, CheckMetadata, DataUnavailable, Outcome


def evaluate(
    checks: Iterable[Check], inventory: Inventory, settings: dict[str, dict[str, Any]] | None = None
) -> Iterator[Finding]:
    """The findings one at a time, check by check (a streamed scan writes each as it comes)."""
    for check in checks:
        yield from _evaluate_check(check, inventory, settings_in_force(check, settings))


def settings_in_force(check: Check, settings: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    """Every setting of a check: the user's values (by check id), else the defaults."""
    given = (settings or {}).get(check.id, {})
    return {name: given.get(name, setting.default) for name, setting in check.metadata.settings.items()}


def _expected_scopes(record_type: type[Record], inventory: Inventory) -> list[tuple[str, str]]:
    return [
        (account.account_id, region)
        for account in inventory.accounts
        if inventory.unreachable(account.account_id) is None
        for region in (
            [GLOBAL_REGION] if record_type.scope is PartScope.GLOBAL else inventory.regions_of(account.account_id)
        )
    ]


def _evaluate_check(check: Check, inventory: Inventory, settings: dict[str, Any]) -> Iterator[Finding]:
    for account in inventory.accounts:
        error = inventory.unreachable(account.account_id)
        if error is not None:
            arn = f"arn:{account.partition}:{check.metadata.service}::{account.account_id}:*"
            detail = f"could not evaluate: the account could not be scanned: {error.describe()}"
            yield _build(
                check, AccountScope, Status.ERROR, detail, account.account_id, GLOBAL_REGION, arn, account.account_id
            )
    for record_type in check.resources:
        for account_id, region in _expected_scopes(record_type, inventory):
            if not inventory.was_collected(record_type, account_id, region):
                detail = f"{record_type.label} were not collected for this scope"
                yield _scope_error(check, record_type, inventory, account_id, region, detail)
                continue
            for error in inventory.errors_for(record_type, account_id, region):
                if error.resource is None:
                    yield _scope_error(check, record_type, inventory, account_id, region, error.describe())
                else:
                    yield _error_for_unlisted(check, record_type, inventory, account_id, region, error)
            for record in inventory.records(record_type, account_id, region):
                # The record's own region, so that a bucket (a global part) looks up regional parts where it lives.
                ctx = CheckContext(inventory, account_id, record.region, check.uses, settings)
                yield from _judge(check, record, ctx)


def _judge(check: Check, record: Record, ctx: CheckContext) -> Iterator[Finding]:
    try:
        outcome = check.function(record, ctx)
    except DataUnavailable as missing:
        yield _finding(check, record, Status.ERROR, f"could not evaluate: {missing.reason}")
        return
    except Exception as exc:  # noqa: BLE001 - one broken check must not abort the scan
        yield _finding(check, record, Status.ERROR, f"check {check.id} raised {type(exc).__name__}: {exc}")
        return
    if outcome is None:
        return
    if not isinstance(outcome, Outcome) or outcome.status not in (Status.PASS, Status.FAIL):
        yield _finding(
            check, record, Status.ERROR, f"check {check.id} returned {outcome!r} instead of passed(), failed() or None"
        )
        return
    yield _finding(check, record, outcome.status, outcome.detail, outcome.severity)


def _finding(check: Check, record: Record, status: Status, detail: str, severity: Severity | None = None) -> Finding:
    arn = record.subject_arn(check.metadata.service)
    return _build(check, type(record), status, detail, record.account_id, record.region, arn, record.name, severity)


def _scope_error(
    check: Check, record_type: type[Record], inventory: Inventory, account_id: str, region: str, detail: str
) -> Finding:
    """ERROR for every resource of a type in a scope: the part could not be listed there."""
    arn = _wildcard_arn(check, record_type, inventory, account_id, region)
    name = f"all {record_type.label}"
    return _build(check, record_type, Status.ERROR, f"could not evaluate: {detail}", account_id, region, arn, name)


def _error_for_unlisted(
    check: Check, record_type: type[Record], inventory: Inventory, account_id: str, region: str, error: CollectionError
) -> Finding:
    """ERROR for one resource that was listed but could not be described."""
    name = error.resource or ""
    arn = (
        error.resource_arn or _wildcard_arn(check, record_type, inventory, account_id, region).removesuffix("*") + name
    )
    return _build(
        check, record_type, Status.ERROR, f"could not evaluate: {error.describe()}", account_id, region, arn, name
    )


def _wildcard_arn(check: Check, record_type: type[Record], inventory: Inventory, account_id: str, region: str) -> str:
    """Every resource of a part in a scope: the part's own ARN with `*` for the resource (a part without an ARN
    form of its own, such as a region record, names the checked service's resources of that kind)."""
    partition = next((a.partition for a in inventory.accounts if a.account_id == account_id), "aws")
    if record_type.arn_resource:
        return record_type.arn_for(partition, region, account_id, "*")
    arn_region = "" if region == GLOBAL_REGION else region
    kind = record_type.resource_type.rsplit("::", 1)[-1].lower()
    return f"arn:{partition}:{check.metadata.service}:{arn_region}:{account_id}:{kind}/*"


@cache
def _remediation(text: str, url: str) -> FindingRemediation:
    """One per check, shared by all its findings (a finding and its remediation are immutable)."""
    return FindingRemediation(text=text, url=url)


def _build(
    check: Check,
    record_type: type[Record],
    status: Status,
    detail: str,
    account_id: str,
    region: str,
    arn: str,
    name: str,
    severity: Severity | None = None,
) -> Finding:
    return new_finding(
        check.metadata,
        status,
        detail,
        Location(account_id, region, arn, name),
        resource_type=record_type.resource_type,
        severity=severity,
    )


class Location(NamedTuple):
    """Where a finding is: its resource's account, region, ARN and display name."""

    account_id: str
    region: str
    arn: str
    name: str


def new_finding(
    meta: CheckMetadata,
    status: Status,
    detail: str,
    where: Location,
    *,
    resource_type: str | None = None,
    severity: Severity | None = None,
    suppression: Suppression | None = None,
) -> Finding:
    """A finding of one check on one resource (`resource_type`: the record's, where the check judges several
    kinds; `severity`: where the check raised it for this resource). Also builds the benchmark's and the tests'
    findings, so that they are made as a scan makes them."""
    return Finding(
        id=finding_id(meta.id, where.account_id, where.region, where.arn),
        check_id=meta.id,
        check_name=meta.name,
        title=meta.title,
        status=status,
        status_detail=detail,
        severity=severity or meta.severity,
        pillar=meta.pillar,
        service=meta.service,
        resource_type=resource_type or meta.resource_type,
        resource_arn=where.arn,
        resource_name=where.name,
        account_id=where.account_id,
        region=where.region,
        remediation=_remediation(meta.remediation.text, meta.remediation.url),
        references=list(meta.references),
        suppression=suppression,
    )
