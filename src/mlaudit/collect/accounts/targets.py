"""Which accounts and regions a scan covers: the caller's account, one assumed role, or every account of an
organization through a role of the same name in each, with a shard's share of the (account, region) units.

Reaching an account of an organization (assuming its role, listing its regions) is done concurrently, within
the scan's worker budget. An account that cannot be reached becomes an `UnreachableAccount` (its checks report
ERROR) and never stops the others; for a single `--role-arn` it is a one-line error instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from botocore.exceptions import BotoCoreError, ClientError

from mlaudit.collect.accounts.assume import AssumedRole, RoleSpec, assume_now, assumed_session, parse_role_arn, role_arn
from mlaudit.collect.accounts.failures import error_code, error_message
from mlaudit.collect.accounts.organization import AccountFilter, organization_accounts
from mlaudit.collect.accounts.regions import discover_regions, enabled_ml_regions, not_enabled
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.accounts.sharding import Shard
from mlaudit.core.errors import CredentialsError, UserError
from mlaudit.inventory import ACCOUNT_ACCESS_PART, GLOBAL_REGION, AccountInfo, CollectionError, SkippedScope, SkipReason


@dataclass(frozen=True)
class AccountTarget:
    """One account to collect, with the clients that reach it, its regions, and the requested regions skipped."""

    account: AccountInfo
    clients: AwsClients
    regions: tuple[str, ...]
    skipped: tuple[SkippedScope, ...] = ()
    role: AssumedRole | None = None
    """The role assumed to reach the account (None: the base credentials' own account)."""


@dataclass(frozen=True)
class UnreachableAccount:
    """An account that could not be reached (its role could not be assumed): reported, never collected."""

    account: AccountInfo
    error: CollectionError


@dataclass(frozen=True)
class AccountSelection:
    """The accounts to scan, as the user asked: `role_arn` for one other account, `org` with `role_name` for all."""

    role_arn: str | None = None
    org: bool = False
    role_name: str | None = None
    role: RoleSpec = field(default_factory=RoleSpec)
    filter: AccountFilter = field(default_factory=AccountFilter)

    def __post_init__(self) -> None:
        for broken, message, hint in self._conflicts():
            if broken:
                raise UserError(message, hint=hint)
        if self.role_arn:
            parse_role_arn(self.role_arn)

    def _conflicts(self) -> list[tuple[bool, str, str | None]]:
        """Each way the options can contradict each other, and what to say about it."""
        chooses_accounts = bool(self.filter.accounts or self.filter.exclude_accounts or self.filter.ous)
        return [
            (
                bool(self.role_arn and self.org),
                "--role-arn scans one account and --org every account: choose one",
                None,
            ),
            (
                self.org and not self.role_name,
                "--org needs --role-name, the role to assume in every account",
                "e.g. --role-name mlaudit-readonly",
            ),
            (
                bool(self.role_name and not self.org),
                "--role-name is the role assumed in every account of --org: add --org, or use --role-arn",
                None,
            ),
            (
                not self.org and chooses_accounts,
                "--accounts, --exclude-accounts and --ou choose accounts of the organization: add --org",
                None,
            ),
            (
                bool(self.role.external_id and not (self.role_arn or self.org)),
                "--external-id is passed when assuming a role: add --role-arn or --org",
                None,
            ),
        ]


@dataclass
class Targets:
    reachable: list[AccountTarget]
    unreachable: list[UnreachableAccount]


def resolve_targets(
    base: AwsClients,
    caller: AccountInfo,
    selection: AccountSelection,
    regions: Sequence[str] | None,
    shard: Shard | None,
    max_workers: int,
) -> Targets:
    """The accounts to collect, each with its clients and the regions this shard scans there."""
    if selection.org:
        ids = organization_accounts(base, selection.filter)
        if not ids:
            raise UserError("no ACTIVE account of the organization matches --ou, --accounts and --exclude-accounts")
        arns = [role_arn(caller.partition, account_id, selection.role_name or "") for account_id in ids]
        with ThreadPoolExecutor(max_workers, thread_name_prefix="mlaudit-account") as pool:
            reached = list(pool.map(lambda arn: _reach(base, arn, selection.role, regions, shard), arns))
        return Targets(
            [r for r in reached if isinstance(r, AccountTarget)],
            [r for r in reached if isinstance(r, UnreachableAccount)],
        )
    if selection.role_arn:
        one = _reach(base, selection.role_arn, selection.role, regions, shard)
        if isinstance(one, UnreachableAccount):
            error = one.error
            raise CredentialsError(
                f"cannot scan {selection.role_arn}: {error.service}:{error.operation} failed ({error.error_code}): {error.message}"
            )
        return Targets([one] if one else [], [])
    if regions:
        account_regions, skipped = _enabled_share(base, caller, regions, shard)
    else:
        account_regions, skipped = _shard_share(caller, discover_regions(base, caller.partition), shard), ()
    return Targets([AccountTarget(caller, base, account_regions, skipped)] if account_regions or skipped else [], [])


def _shard_share(account: AccountInfo, regions: Sequence[str], shard: Shard | None) -> tuple[str, ...]:
    return tuple(r for r in regions if shard is None or shard.owns(account.account_id, r))


def _enabled_share(
    clients: AwsClients, account: AccountInfo, regions: Sequence[str], shard: Shard | None
) -> tuple[tuple[str, ...], tuple[SkippedScope, ...]]:
    """This shard's share of the requested regions: those the account has enabled, to scan, and those it has not,
    skipped (nothing can exist there)."""
    disabled = set(not_enabled(clients, regions))
    skipped = tuple(
        SkippedScope(account_id=account.account_id, region=region, service=None, reason=SkipReason.REGION_NOT_ENABLED)
        for region in _shard_share(account, [r for r in regions if r in disabled], shard)
    )
    return _shard_share(account, [r for r in regions if r not in disabled], shard), skipped


def _reach(
    base: AwsClients, arn: str, spec: RoleSpec, regions: Sequence[str] | None, shard: Shard | None
) -> AccountTarget | UnreachableAccount | None:
    """Assume the role and list the account's regions; None when this shard has nothing to scan there.

    A shard tries an account when it may own one of its units; a failure is reported by the shard that owns the
    account's global unit only, so that merged shard reports hold it once.
    """
    partition, account_id = parse_role_arn(arn)
    account = AccountInfo(account_id=account_id, partition=partition)
    reports_failure = shard is None or shard.owns(account_id, GLOBAL_REGION)
    if regions and not reports_failure and not _shard_share(account, regions, shard):
        return None
    clients = base.for_session(assumed_session(base, arn, spec))
    operation = "sts:AssumeRole"
    try:
        assume_now(clients.session)
        operation = "ec2:DescribeRegions"
        if regions:
            share, skipped = _enabled_share(clients, account, regions, shard)
        else:
            share, skipped = _shard_share(account, enabled_ml_regions(clients, partition), shard), ()
    except (ClientError, BotoCoreError) as exc:
        if not reports_failure:
            return None
        service, name = operation.split(":")
        error = CollectionError(
            part=ACCOUNT_ACCESS_PART,
            service=service,
            operation=name,
            account_id=account_id,
            region=GLOBAL_REGION,
            error_code=error_code(exc),
            message=f"{arn}: {error_message(exc)}",
        )
        return UnreachableAccount(account, error)
    return AccountTarget(account, clients, share, skipped, AssumedRole(arn, spec)) if share or skipped else None
