"""CloudWatch composite alarms (moto 5.x implements the alarm model but not the operation that creates one).

moto's `put_metric_alarm` already reads AlarmRule and `describe_alarms` answers alarms that have one under
CompositeAlarms, so `put_composite_alarm` is that same request handler. moto's `describe_alarms` ignores AlarmTypes
and answers both lists; AWS answers only metric alarms unless asked for composites, which is why mlaudit asks.
"""

from __future__ import annotations

from collections.abc import Callable

from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult

RESPONSE_CLASS = CloudWatchResponse

Operation = Callable[[CloudWatchResponse], ActionResult]

OPERATIONS: dict[str, Operation] = {"put_composite_alarm": CloudWatchResponse.put_metric_alarm}
