"""What a collector sees while it runs: clients, paginated calls, a concurrent fan-out, the parts it depends on.

Every AWS call goes through `call` or `paginate`, which refuse undeclared operations, turn failures into
`CallFailed` carrying the error to record, and note every answer that does not match the service model (an
anomaly: the resource is kept). `fan_out` runs per-resource describes concurrently and records a failed describe
against that resource only.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from datetime import datetime
from functools import partial
from typing import Any, Protocol, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from mlaudit.collect.accounts.failures import CallFailed, error_code, error_message, is_not_found
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.engine.anomalies import ShapeAudit, Sighting
from mlaudit.collect.engine.budget import CallBudget
from mlaudit.collect.engine.longest_first import LongestFirst
from mlaudit.collect.engine.once import Once
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.service_model import largest_page
from mlaudit.collect.engine.unresolved import UnresolvedEndpoints, is_unresolved
from mlaudit.inventory import (
    GLOBAL_REGION,
    AccountInfo,
    AnomalyKind,
    ApiAnomaly,
    CollectionError,
    Identity,
    Inventory,
    PartScope,
    Record,
    RefKind,
)

T = TypeVar("T")
V = TypeVar("V")
R = TypeVar("R", bound=Record)

_in_fan_out = threading.local()
_SHAPES = ShapeAudit()
"""What to check in each operation's answers, worked out once per process (the service models do not change)."""


class Declaration(Protocol):
    """What a context reads of the declaration of the part it collects (`spec.PartCollector`, which names this
    context as what its collector receives)."""

    @property
    def part(self) -> str: ...

    @property
    def record(self) -> type[Record]: ...

    @property
    def operations(self) -> tuple[Operation, ...]: ...

    @property
    def shares(self) -> tuple[str, ...]: ...

    @property
    def dependencies(self) -> tuple[type[Record], ...]: ...


ScopeKey = tuple[str, str, str]


class ScopeFeed(Protocol):
    """Where a streaming collector learns that the scopes it reads are collected (the collection in progress)."""

    def wait_for(self, keys: set[ScopeKey], seen: set[ScopeKey]) -> list[ScopeKey]: ...


class UndeclaredOperation(AssertionError):
    """A collector called an operation its declaration does not list (a bug in mlaudit, not in the account)."""


class CollectContext:
    def __init__(
        self,
        collector: Declaration,
        account: AccountInfo,
        region: str,
        clients: AwsClients,
        inventory: Inventory,
        describe_pool: LongestFirst,
        since: datetime,
        budget: CallBudget,
        shared: Once[tuple[str, str, str, str], Any],
        input_errors: list[CollectionError] | Callable[[], list[CollectionError]] | None = None,
        unresolved: UnresolvedEndpoints | None = None,
        feed: ScopeFeed | None = None,
    ) -> None:
        self.collector = collector
        self.account = account
        self.region = region
        """The scope's region, or `global` for account-wide parts."""
        self.clients = clients
        self.inventory = inventory
        self.since = since
        self._input_errors = input_errors or []
        self._feed = feed
        """Set for a streaming collector, which reads its inputs as they are collected."""
        self._unresolved = unresolved or UnresolvedEndpoints()
        self._describe_pool = describe_pool
        self._budget = budget
        """The scan's calls in flight: a global budget shared by every account, region and part, and a limit per
        (account, region, service) within it."""
        self._shared = shared
        """Answers several parts read, by (account, region, name), for the whole collection."""
        self._errors: list[CollectionError] = []
        self._sightings: Counter[tuple[str, str, str, AnomalyKind, str | None]] = Counter()
        """(service, operation, field path, kind, enum value) of every anomaly in this part's answers."""
        self._lock = threading.Lock()

    @property
    def input_errors(self) -> list[CollectionError]:
        """Why the parts this one is collected from are incomplete (empty when they are complete); for a streaming
        collector, known once its inputs are all collected."""
        errors = self._input_errors
        return errors() if callable(errors) else list(errors)

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def partition(self) -> str:
        return self.account.partition

    @property
    def errors(self) -> list[CollectionError]:
        return list(self._errors)

    @property
    def anomalies(self) -> list[ApiAnomaly]:
        return [
            ApiAnomaly(
                service=service,
                operation=operation,
                account_id=self.account_id,
                region=self.region,
                path=path,
                kind=kind,
                value=value,
                count=count,
            )
            for (service, operation, path, kind, value), count in self._sightings.items()
        ]

    # -- calls ---------------------------------------------------------------------------------------------
    def client(self, service: str, region: str | None = None) -> Any:
        if region is None:
            region = None if self.region == GLOBAL_REGION else self.region
        return self.clients.client(service, region)

    def call(
        self, operation: Operation, *, region: str | None = None, absent: frozenset[str] = frozenset(), **params: Any
    ) -> dict[str, Any] | None:
        """One API call. Returns None when AWS answers with an error code listed in `absent` (e.g. "no policy")."""
        client = self._client_for(operation, region)
        try:
            response: dict[str, Any] = self._send(
                client, operation, lambda: getattr(client, operation.method)(**params)
            )
        except (ClientError, BotoCoreError) as exc:
            if isinstance(exc, ClientError) and error_code(exc) in absent:
                return None
            raise self._failure(client, operation, exc) from exc
        self._inspect(client, operation, response)
        return response

    def paginate(
        self, operation: Operation, result_key: str, *, region: str | None = None, **params: Any
    ) -> Iterator[Any]:
        """Every item of a list operation, across all pages."""
        for page in self.pages(operation, region=region, **params):
            yield from page.get(result_key) or []

    def pages(self, operation: Operation, *, region: str | None = None, **params: Any) -> Iterator[dict[str, Any]]:
        """Every page of a list operation, whole (an answer may list several kinds of item), asking for the largest
        page the API allows (SageMaker answers 10 items a page unless asked for up to 100)."""
        client = self._client_for(operation, region)
        size = largest_page(operation)
        if size and "PaginationConfig" not in params:
            params["PaginationConfig"] = {"PageSize": size}
        try:
            paginator = client.get_paginator(operation.method)
            result_keys = [key.expression for key in paginator.result_keys]
            pages = iter(paginator.paginate(**params))
            previous_empty = False
            while True:
                page = self._send(client, operation, lambda: next(pages, None))  # its slot freed while it is read
                if page is None:
                    return
                if previous_empty:  # botocore asked for this page: the empty one before it carried a next token
                    self._note(operation, [("+".join(result_keys), AnomalyKind.EMPTY_PAGE_WITH_NEXT_TOKEN, None)])
                self._inspect(client, operation, page)
                previous_empty = not any(page.get(key) for key in result_keys)
                yield page
        except (ClientError, BotoCoreError) as exc:
            raise self._failure(client, operation, exc) from exc

    def shared(self, name: str, fetch: Callable[[], T], item: str = "") -> T:
        """An answer several parts of this account and region read (one DescribeAlarms lists metric and composite
        alarms; one ListAttachedRolePolicies a role's two parts read), by name and, for one of many, `item`:
        fetched by the first part that asks while the others wait. A failure is recorded by each part."""
        if name not in self.collector.shares:
            raise AssertionError(f"{self.collector.part} reads shared answer {name} without declaring it in `shares`")
        try:
            return self._shared.get((self.account_id, self.region, name, item), lambda _: fetch())
        except CallFailed as failed:
            raise CallFailed(
                failed.error.model_copy(update={"part": self.collector.part}), failed.not_found
            ) from failed

    def _client_for(self, operation: Operation, region: str | None) -> Any:
        """The client that calls a declared operation."""
        if operation not in self.collector.operations:
            raise UndeclaredOperation(f"{self.collector.part} calls undeclared operation {operation}")
        return self.client(operation.service, region)

    def _send(self, client: Any, operation: Operation, send: Callable[[], T]) -> T:
        """One request within the budget, unless its endpoint is known not to resolve (the first request to an
        endpoint goes alone, so that it is learnt once)."""
        with self._unresolved.first_call(operation.service, client.meta.region_name):
            failure = self._unresolved.failure(operation.service, client.meta.region_name)
            if failure is not None:
                raise self._failure(client, operation, failure)
            with self._budget.slot(client, self.account_id, operation.name):
                return send()

    def _inspect(self, client: Any, operation: Operation, response: dict[str, Any]) -> None:
        """Note what in the answer does not match the service model (the answer itself is not kept)."""
        sightings = _SHAPES.sightings(client.meta.service_model.operation_model(operation.name), response)
        if sightings:
            self._note(operation, sightings)

    def _note(self, operation: Operation, sightings: list[Sighting]) -> None:
        with self._lock:
            self._sightings.update(
                (operation.service, operation.name, path, kind, value) for path, kind, value in sightings
            )

    def _failure(self, client: Any, operation: Operation, exc: BaseException) -> CallFailed:
        service, name = operation.service, operation.name
        if is_unresolved(exc):
            self._unresolved.add(self.account_id, service, client.meta.region_name, exc)
        if isinstance(exc, ClientError) and exc.operation_name != name:
            # The call was never sent: refreshing the role's expiring credentials (sts:AssumeRole) failed.
            service, name = "sts", exc.operation_name
        error = CollectionError(
            part=self.collector.part,
            service=service,
            operation=name,
            account_id=self.account_id,
            region=self.region,
            error_code=error_code(exc),
            message=error_message(exc),
        )
        return CallFailed(error, not_found=is_not_found(exc))

    def identity(self, resource_id: str, name: str | None = None, arn: str | None = None) -> Identity:
        """The identity of a resource of this part in this scope (see `Record.identity_of`)."""
        record = self.collector.record
        return record.identity_of(self.partition, self.region, self.account_id, resource_id, name=name, arn=arn)

    # -- fan-out -------------------------------------------------------------------------------------------
    def fan_out(
        self,
        items: Iterable[T],
        describe: Callable[[T], V | None],
        identify: Callable[[T], Identity],
        admit: Operation | None = None,
    ) -> Iterator[V]:
        """Describe each item concurrently; a failed describe is recorded against that item (its identity: the one
        its record would have carried) and skipped. The describes are admitted to the shared pool within the limit
        of the operation they call (`admit`; default: the part's first operation)."""
        items = list(items)
        results: list[tuple[V | None, BaseException | None]]
        if getattr(_in_fan_out, "active", False):
            results = [self._guarded(describe, item) for item in items]
        else:
            operation = admit or self.collector.operations[0]
            region = self.client(operation.service).meta.region_name
            scope = self._budget.limit((self.account_id, region, operation.name))
            futures: list[Future[tuple[V | None, BaseException | None]]] = []
            for item in items:
                scope.admit()
                future = self._describe_pool.submit(len(items), partial(self._guarded, describe, item))
                future.add_done_callback(lambda _: scope.dismiss())  # also when cancelled (an interrupted scan)
                futures.append(future)
            results = [f.result() for f in futures]
        for item, (record, failure) in zip(items, results, strict=True):
            if failure is not None:
                self._record(failure, identify(item))
            elif record is not None:
                yield record

    def _guarded(self, describe: Callable[[T], V | None], item: T) -> tuple[V | None, BaseException | None]:
        _in_fan_out.active = True
        try:
            return describe(item), None
        except CallFailed as failed:
            return None, None if failed.not_found else failed
        except Exception as exc:  # noqa: BLE001 - an unexpected shape must not lose the rest of the part
            return None, exc
        finally:
            _in_fan_out.active = False

    def _record(self, failure: BaseException, identity: Identity) -> None:
        about = {"resource": identity["name"], "resource_arn": identity["arn"]}
        if isinstance(failure, CallFailed):
            error = failure.error.model_copy(update=about)
        else:
            error = internal_error(self, failure).model_copy(update=about)
        with self._lock:
            self._errors.append(error)

    # -- dependencies --------------------------------------------------------------------------------------
    def dependency(self, record_type: type[R], region: str | None = None) -> list[R]:
        """Records of a part this collector depends on, in the same account (and region, for regional parts)."""
        if record_type not in self.collector.dependencies:
            raise AssertionError(f"{self.collector.part} reads {record_type.part} without depending on it")
        return self.inventory.records(record_type, self.account_id, region or self.region)

    def as_collected(self, record_types: tuple[type[Record], ...]) -> Iterator[list[Record]]:
        """The records of parts this collector depends on (in its account, and region for regional parts), scope by
        scope as they are collected; without a feed, all of them at once."""
        for record_type in record_types:
            if record_type not in self.collector.dependencies:
                raise AssertionError(f"{self.collector.part} reads {record_type.part} without depending on it")
        regions = {
            t: [self.region] if t.scope is PartScope.REGIONAL and self.region != GLOBAL_REGION else self._regions_of(t)
            for t in record_types
        }
        scopes = {(t.part, self.account_id, region): t for t in record_types for region in regions[t]}
        if self._feed is None:
            yield [
                record
                for (_, _, region), t in scopes.items()
                for record in self.inventory.records(t, self.account_id, region)
            ]
            return
        seen: set[ScopeKey] = set()
        while fresh := self._feed.wait_for(set(scopes), seen):
            seen.update(fresh)
            yield [record for key in fresh for record in self.inventory.records(scopes[key], self.account_id, key[2])]

    def references_as_collected(self, kind: RefKind) -> Iterator[dict[str, list[str]]]:
        """The targets of references of `kind` in this account, batch by batch as the scopes that hold them are
        collected (each target with the ARNs of the batch's records naming it): a streaming collector starts on
        the first region's. Without a feed (its inputs already collected), one batch of them all."""
        scopes = {
            (record_type.part, self.account_id, region): record_type
            for record_type in self.collector.dependencies
            if kind in record_type.reference_kinds
            for region in self._regions_of(record_type)
        }
        if self._feed is None:
            yield self.referenced(kind)
            return
        seen: set[ScopeKey] = set()
        while fresh := self._feed.wait_for(set(scopes), seen):
            seen.update(fresh)
            targets: dict[str, set[str]] = defaultdict(set)
            for key in fresh:
                for record in self.inventory.records(scopes[key], self.account_id, key[2]):
                    for ref in record.references():
                        if ref.kind is kind:
                            targets[ref.target].add(record.arn)
            yield {target: sorted(arns) for target, arns in targets.items()}

    def _regions_of(self, record_type: type[Record]) -> list[str]:
        return [GLOBAL_REGION] if record_type.scope is PartScope.GLOBAL else self.inventory.regions_of(self.account_id)

    def referenced(self, kind: RefKind, region: str | None = None) -> dict[str, list[str]]:
        """Every target of references of `kind` in this account (or only in `region`: EC2 resources are regional),
        with the sorted ARNs of the records that hold them."""
        targets: dict[str, set[str]] = defaultdict(set)
        for record_type in self.collector.dependencies:
            if kind not in record_type.reference_kinds:
                continue
            regions = [region] if region and record_type.scope is PartScope.REGIONAL else self._regions_of(record_type)
            for scope in regions:
                for record in self.inventory.records(record_type, self.account_id, scope):
                    for ref in record.references():
                        if ref.kind is kind:
                            targets[ref.target].add(record.arn)
        return {target: sorted(arns) for target, arns in targets.items()}


def internal_error(ctx: CollectContext, exc: BaseException, resource: str | None = None) -> CollectionError:
    """An exception that is not an AWS error (an unexpected response shape, a bug): recorded, never swallowed."""
    return CollectionError(
        part=ctx.collector.part,
        service=ctx.collector.record.service,
        operation="(collector)",
        account_id=ctx.account_id,
        region=ctx.region,
        error_code=type(exc).__name__,
        message=str(exc) or type(exc).__name__,
        resource=resource,
    )
