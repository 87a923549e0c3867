"""Sending a report's findings to AWS Security Hub: the only thing mlaudit ever writes to an account.

It is a separate, explicit command (`mlaudit export security-hub`), never part of a scan. Security Hub takes a
finding with the default product ARN only from the account in its `AwsAccountId`, so each account's findings are
imported in that account: the credentials' own directly, the others through a role assumed as the scan assumes
it (`--role-name` in every account, or one `--role-arn`). Findings go in batches of 100 (BatchImportFindings'
limit) to the region of their product ARN.

BatchImportFindings leaves the workflow of an existing finding as it is, so the workflow is then set with
BatchUpdateFindings (also 100 a call): SUPPRESSED, with the suppression as the note, for a MUTED finding, and
RESOLVED for a PASS one. A FAIL finding's workflow is its users' (NEW, NOTIFIED; Security Hub itself sets a
RESOLVED one back to NEW when its compliance turns from PASSED to FAILED), except one that the previously exported
report had MUTED: mlaudit suppressed it, and sets it back to NEW. One report alone cannot tell that case apart.

Every finding Security Hub rejects, and every account or region that refused the calls, is reported; a refusal
in one account never stops the others.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from mlaudit.collect.accounts.assume import RoleSpec, assume_now, assumed_session, parse_role_arn, role_arn
from mlaudit.collect.accounts.failures import error_code, error_message
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.core.errors import UserError
from mlaudit.core.taxonomy import Status
from mlaudit.inventory import AccountInfo
from mlaudit.renderers.asff import DEFAULT_HOME_REGION, NOTE_AUTHOR, asff_findings, suppression_note
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report

BATCH_SIZE = 100
"""BatchImportFindings takes at most 100 findings, BatchUpdateFindings at most 100 identifiers."""
WORKFLOW = {Status.MUTED: "SUPPRESSED", Status.PASS: "RESOLVED"}
"""The workflow status each verdict sets in Security Hub (FAIL and ERROR: left as they are, but see `previous`)."""


@dataclass(frozen=True)
class AccountReach:
    """How to reach the accounts other than the credentials' own: a role of the same name in each
    (`--role-name`), or one role (`--role-arn`), assumed with the same external id and session name."""

    role_name: str | None = None
    role_arn: str | None = None
    role: RoleSpec = field(default_factory=RoleSpec)

    def __post_init__(self) -> None:
        if self.role_name and self.role_arn:
            raise UserError("--role-name reaches every account and --role-arn one: choose one")
        if self.role.external_id and not (self.role_name or self.role_arn):
            raise UserError("--external-id is passed when assuming a role: add --role-name or --role-arn")
        if self.role_arn:
            parse_role_arn(self.role_arn)

    def arn_for(self, caller: AccountInfo, account_id: str) -> str | None:
        """The role to assume to reach `account_id` (None: no role reaches it)."""
        if self.role_name:
            return role_arn(caller.partition, account_id, self.role_name)
        if self.role_arn and parse_role_arn(self.role_arn)[1] == account_id:
            return self.role_arn
        return None


@dataclass(frozen=True)
class Rejection:
    """A finding Security Hub did not take: not imported, or its workflow not updated (`step`)."""

    finding_id: str
    error_code: str
    message: str
    step: str = "import"


@dataclass
class AccountExport:
    """What happened in one account."""

    account_id: str
    imported: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    workflow: Counter[str] = field(default_factory=Counter)
    """Findings whose workflow status was set, by status."""
    errors: list[str] = field(default_factory=list)
    """What failed as a whole: the role could not be assumed, a region refused the calls."""

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.rejected)


@dataclass
class ExportResult:
    accounts: list[AccountExport] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(account.failed for account in self.accounts)


Batch = list[dict[str, Any]]
Item = tuple[Finding, dict[str, Any]]
"""A finding and its ASFF."""


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def _failure(operation: str, exc: BaseException) -> str:
    return f"securityhub:{operation} failed ({error_code(exc)}): {error_message(exc)}"


def _by_account(report: Report, home: str, failed_only: bool) -> dict[str, dict[str, list[Item]]]:
    """The findings to send and their ASFF, by account and region."""
    keep = {Status.FAIL, Status.MUTED} if failed_only else set(Status)
    grouped: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
    for finding, asff in zip(report.findings, asff_findings(report, home), strict=True):
        if finding.status in keep:
            grouped[finding.account_id][asff["Region"]].append((finding, asff))
    return grouped


def _clients_for(
    base: AwsClients, caller: AccountInfo, account_id: str, reach: AccountReach
) -> tuple[AwsClients | None, str | None]:
    """The clients that reach `account_id`, or why there are none."""
    if account_id == caller.account_id:
        return base, None
    arn = reach.arn_for(caller, account_id)
    if arn is None:
        return None, (
            "not imported: Security Hub takes an account's findings only from that account "
            "(pass --role-name, a role to assume in each account, or --role-arn)"
        )
    session = assumed_session(base, arn, reach.role)
    try:
        assume_now(session)
    except (ClientError, BotoCoreError) as exc:
        return None, f"not imported: sts:AssumeRole {arn} failed ({error_code(exc)}): {error_message(exc)}"
    return base.for_session(session), None


def _import(client: Any, items: list[Item], result: AccountExport) -> set[str]:
    """Import the findings of one region; the ids Security Hub took."""
    taken: set[str] = set()
    for batch in _batches(items):
        asffs = [asff for _, asff in batch]
        response = client.batch_import_findings(Findings=asffs)
        failed = {f.get("Id", ""): f for f in response.get("FailedFindings", [])}
        result.imported += int(response.get("SuccessCount", 0))
        result.rejected += [
            Rejection(identifier, f.get("ErrorCode", ""), f.get("ErrorMessage", "")) for identifier, f in failed.items()
        ]
        taken |= {asff["Id"] for asff in asffs if asff["Id"] not in failed}
    return taken


def _workflow_status(finding: Finding, muted_before: frozenset[str]) -> str | None:
    """The workflow status to set for the finding's verdict now (None: leave it as it is)."""
    if finding.status is Status.FAIL and finding.id in muted_before:
        return "NEW"
    return WORKFLOW.get(finding.status)


def _workflow_updates(items: Iterable[Item], muted_before: frozenset[str]) -> dict[tuple[str, str | None], Batch]:
    """Finding identifiers by the update they need: (workflow status, note)."""
    updates: dict[tuple[str, str | None], Batch] = defaultdict(list)
    for finding, asff in items:
        status = _workflow_status(finding, muted_before)
        if status is not None:
            key = (status, suppression_note(finding))
            updates[key].append({"Id": asff["Id"], "ProductArn": asff["ProductArn"]})
    return updates


def _update_workflow(client: Any, items: list[Item], muted_before: frozenset[str], result: AccountExport) -> None:
    updates = _workflow_updates(items, muted_before)
    for (status, note), identifiers in sorted(updates.items(), key=lambda update: (update[0][0], update[0][1] or "")):
        extra = {"Note": {"Text": note, "UpdatedBy": NOTE_AUTHOR}} if note else {}
        for batch in _batches(identifiers):
            response = client.batch_update_findings(FindingIdentifiers=batch, Workflow={"Status": status}, **extra)
            processed = len(response.get("ProcessedFindings", []))
            if processed:
                result.workflow[status] += processed
            result.rejected += [
                Rejection(
                    u.get("FindingIdentifier", {}).get("Id", ""),
                    u.get("ErrorCode", ""),
                    u.get("ErrorMessage", ""),
                    "workflow",
                )
                for u in response.get("UnprocessedFindings", [])
            ]


def _export_account(
    clients: AwsClients, regions: dict[str, list[Item]], muted_before: frozenset[str], result: AccountExport
) -> None:
    """Import an account's findings region by region, then set their workflow; a region that refuses is one error
    line and the next region goes on."""
    for region, items in sorted(regions.items()):
        client = clients.client("securityhub", region)
        operation = "BatchImportFindings"
        try:
            taken = _import(client, items, result)
            operation = "BatchUpdateFindings"
            _update_workflow(client, [(f, a) for f, a in items if a["Id"] in taken], muted_before, result)
        except (ClientError, BotoCoreError) as exc:
            result.errors.append(f"{region}: {_failure(operation, exc)}")


def export_findings(
    report: Report,
    clients: AwsClients,
    caller: AccountInfo,
    *,
    reach: AccountReach | None = None,
    home_region: str = DEFAULT_HOME_REGION,
    failed_only: bool = False,
    previous: Report | None = None,
) -> ExportResult:
    """Import the report's findings, each account's in that account, and set their workflow (`previous`: the
    report exported before, whose MUTED findings that are FAIL now go back to NEW)."""
    reach = reach or AccountReach()
    grouped = _by_account(report, home_region, failed_only)
    muted_before = frozenset(f.id for f in previous.findings if f.status is Status.MUTED) if previous else frozenset()
    for account_id in grouped:
        reach.arn_for(caller, account_id)  # a bad --role-name is one error line before anything is sent
    result = ExportResult()
    for account_id, regions in sorted(grouped.items()):
        account = AccountExport(account_id)
        result.accounts.append(account)
        reached, why_not = _clients_for(clients, caller, account_id, reach)
        if reached is None:
            account.errors.append(why_not or "not imported")
            continue
        _export_account(reached, regions, muted_before, account)
    return result
