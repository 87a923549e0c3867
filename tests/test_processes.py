"""How the regional work splits into units for worker processes (`--processes`): the split must never separate
two parts that read each other's records or share an answer. Scans in worker processes are tested in
test_faults.py, against the fault layer."""

from __future__ import annotations

from datetime import datetime, timezone

import boto3

from mlaudit.collect.processes import RegionalProcesses, SessionRecipe, WorkerSettings, clusters
from mlaudit.collect.registry import COLLECTORS, plan
from mlaudit.collect.scheduler import AccountTarget, plan_tasks
from mlaudit.collect.session import AwsClients
from mlaudit.inventory import AccountInfo, Endpoint, PartScope, TrainingJob
from mlaudit.inventory.cloudwatch import CompositeAlarm, EndpointInvocations, MetricAlarm

ACCOUNT = AccountInfo(account_id="123456789012", partition="aws")


def test_regional_parts_read_only_regional_parts() -> None:
    """What lets a region's parts be collected apart from every other region's, in any process."""
    for collector in COLLECTORS.values():
        if collector.record.scope is PartScope.REGIONAL:
            assert all(d.scope is PartScope.REGIONAL for d in collector.dependencies), collector.part


def test_clusters_keep_dependencies_and_shared_answers_together() -> None:
    clients = AwsClients(boto3.Session(region_name="us-east-1"), home_region="us-east-1")
    target = AccountTarget(ACCOUNT, clients, ("eu-west-1",))
    tasks = plan_tasks(plan([EndpointInvocations, MetricAlarm, CompositeAlarm, TrainingJob]), [target])

    groups = [{t.collector.part for t in group} for group in clusters(tasks)]

    assert sorted(groups, key=sorted) == sorted(
        [{Endpoint.part, EndpointInvocations.part}, {MetricAlarm.part, CompositeAlarm.part}, {TrainingJob.part}], key=sorted
    )
    assert sum(map(len, groups)) == len(tasks)


def test_units_spread_each_part_over_the_regions_first() -> None:
    """Every region of a part before the next part: the regions of a large part go to different workers."""
    clients = AwsClients(boto3.Session(region_name="us-east-1"), home_region="us-east-1")
    target = AccountTarget(ACCOUNT, clients, ("us-east-1", "eu-west-1", "ap-south-1"))
    tasks = plan_tasks(plan([TrainingJob, Endpoint]), [target])
    now = datetime.now(timezone.utc)
    settings = WorkerSettings(SessionRecipe(None, "us-east-1", ("a", "b", None), "us-east-1", None, 60, 16), now, now, 4, None)
    processes = RegionalProcesses(1, settings, clients.stats)
    try:
        units = [(p.unit.parts, p.unit.region) for p in processes.units(tasks, [target])]
    finally:
        processes.close()

    assert [region for _, region in units] == ["us-east-1", "eu-west-1", "ap-south-1"] * 2
    assert {parts for parts, _ in units} == {(TrainingJob.part,), (Endpoint.part,)}
