"""How the regional work splits into units for worker processes (`--processes`): the split must never separate
two parts that read each other's records or share an answer. Scans in worker processes are tested in
test_faults.py, against the fault layer."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3

from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.accounts.targets import AccountTarget
from mlaudit.collect.engine.graph import TaskGraph
from mlaudit.collect.engine.processes import ProcessRunner, clusters
from mlaudit.collect.engine.tasks import plan_tasks
from mlaudit.collect.engine.worker import SessionRecipe, WorkerSettings
from mlaudit.collect.registry import collector_of, plan
from mlaudit.inventory import GLOBAL_REGION, AccountInfo, Endpoint, IamRole, KmsKey, TrainingJob
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
    account-wide parts, whose unit the task graph holds back until the regional parts it reads, in every region,
    are collected; a streaming part stays in this process and starts at once."""
    regions = ("us-east-1", "eu-west-1", "ap-south-1")
    clients = AwsClients(boto3.Session(region_name="us-east-1"), home_region="us-east-1")
    target = AccountTarget(ACCOUNT, clients, regions)
    tasks = plan_tasks(plan([TrainingJob, Endpoint, KmsKey, IamRole]), [target])
    now = datetime.now(UTC)
    recipe = SessionRecipe(None, "us-east-1", ("a", "b", None), "us-east-1", None, 60, 16)
    runner = ProcessRunner(1, WorkerSettings(recipe, now, now, 4, None, collector_of), clients.stats)
    try:
        works = runner.group(tasks, [target])
    finally:
        runner.close()

    regional = [work for work in works if work[0].region != GLOBAL_REGION]
    assert [work[0].region for work in regional] == list(regions) * (len(regional) // 3)
    by_part = {work[0].collector.part: work for work in works if work[0].region == GLOBAL_REGION}
    keys, roles = by_part[KmsKey.part], by_part[IamRole.part]
    assert [t.collector.part for t in keys] == [KmsKey.part], "a unit sent once the regions it reads are collected"
    assert all(len(work) == 1 for work in works if work[0].collector.streams), "streaming: here, one task each"
    assert sorted(t.key for work in works for t in work) == sorted(t.key for t in tasks), "every task once"

    graph = TaskGraph(works, {ACCOUNT.account_id: regions})
    streaming = [work for work in works if all(task.collector.streams for task in work)]
    assert roles in streaming and keys not in streaming
    ready = graph.ready()
    assert set(ready) == {*regional, *streaming}, "the regional units and the streaming parts start at once"
    order = [
        (not any(task.collector.history for task in work), -sum(len(task.collector.operations) for task in work))
        for work in ready
    ]
    assert order == sorted(order), "the parts with a bounded history (jobs) first, then the work of most operations"
    assert TrainingJob.part in {task.collector.part for task in ready[0]}
    for work in [*regional, *streaming]:
        for task in work:
            graph.finish(task)
    assert graph.ready() == [keys]
