"""How the regional work splits into units for worker processes (`--processes`): the split must never separate
two parts that read each other's records or share an answer. Scans in worker processes are tested in
test_faults.py, against the fault layer."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3

from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.engine.processes import SessionRecipe, WorkerProcesses, WorkerSettings, clusters
from mlaudit.collect.engine.scheduler import AccountTarget, plan_tasks
from mlaudit.collect.registry import plan
from mlaudit.inventory import GLOBAL_REGION, AccountInfo, Endpoint, IamRole, TrainingJob
from mlaudit.inventory.cloudwatch import CompositeAlarm, EndpointInvocations, MetricAlarm

ACCOUNT = AccountInfo(account_id="123456789012", partition="aws")


def test_clusters_keep_dependencies_and_shared_answers_together() -> None:
    clients = AwsClients(boto3.Session(region_name="us-east-1"), home_region="us-east-1")
    target = AccountTarget(ACCOUNT, clients, ("eu-west-1",))
    tasks = plan_tasks(plan([EndpointInvocations, MetricAlarm, CompositeAlarm, TrainingJob]), [target])

    groups = [{t.collector.part for t in group} for group in clusters(tasks)]

    assert sorted(groups, key=sorted) == sorted(
        [{Endpoint.part, EndpointInvocations.part}, {MetricAlarm.part, CompositeAlarm.part}, {TrainingJob.part}],
        key=sorted,
    )
    assert sum(map(len, groups)) == len(tasks)


def test_units_spread_each_part_over_the_regions_and_account_wide_parts_wait_for_them() -> None:
    """Every region of a part before the next part (the regions of a large part go to different workers); then the
    account-wide parts, each unit waiting for the regional parts it reads, in every region."""
    regions = ("us-east-1", "eu-west-1", "ap-south-1")
    clients = AwsClients(boto3.Session(region_name="us-east-1"), home_region="us-east-1")
    target = AccountTarget(ACCOUNT, clients, regions)
    tasks = plan_tasks(plan([TrainingJob, Endpoint, IamRole]), [target])
    now = datetime.now(UTC)
    settings = WorkerSettings(
        SessionRecipe(None, "us-east-1", ("a", "b", None), "us-east-1", None, 60, 16), now, now, 4, None
    )
    processes = WorkerProcesses(1, settings, clients.stats)
    try:
        units = processes.units(tasks, [target])
    finally:
        processes.close()

    regional = [u for u in units if u.unit.region != GLOBAL_REGION]
    assert [u.unit.region for u in regional] == list(regions) * (len(regional) // 3)
    assert all(not u.waits_for and u.unit.regions == (u.unit.region,) for u in regional)
    roles = units[-1]
    assert roles.unit.parts == (IamRole.part,) and roles.unit.regions == regions
    assert {(t.collector.part, t.region) for t in roles.waits_for} >= {(TrainingJob.part, region) for region in regions}
    assert {t for u in units for t in u.tasks} == set(tasks)  # every task once
