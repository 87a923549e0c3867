"""Managed MLflow: tracking servers (create, list, describe, start, stop) and MLflow apps (create, list, describe),
which moto 5.x does not implement.

Answers have the shapes of botocore's sagemaker model: DescribeMlflowTrackingServer and DescribeMlflowApp in full,
ListMlflowTrackingServers and ListMlflowApps as their summaries, one page at a time; a missing server or app is
`ResourceNotFound`. Servers and apps are ready at once (AWS passes through Creating): a server is Created and
Active, a stopped one Stopped and Inactive, a restarted one Started and Active. Where the request leaves them out,
AWS's defaults are answered: a Small server, automatic model registration off, MLflow `DEFAULT_VERSION`; the bucket
owner fields are answered only when given.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse

DEFAULT_VERSION = "3.0.0"
SERVER_SUMMARY = (
    "TrackingServerArn",
    "TrackingServerName",
    "CreationTime",
    "LastModifiedTime",
    "TrackingServerStatus",
    "IsActive",
    "MlflowVersion",
)
APP_SUMMARY = ("Arn", "Name", "Status", "CreationTime", "LastModifiedTime", "MlflowVersion")


def _state(self: SageMakerResponse, kind: str) -> dict[str, dict[str, Any]]:
    return backend_state(self.sagemaker_backend, f"mlflow_{kind}")


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _new(self: SageMakerResponse, kind: str, key: str, resource: dict[str, Any]) -> None:
    if key in _state(self, kind):
        raise ResourceInUseException(message=f"{key} already exists")
    _state(self, kind)[key] = _present(resource)


def _server(self: SageMakerResponse) -> dict[str, Any]:
    name = str(self._get_param("TrackingServerName"))
    server = _state(self, "tracking_servers").get(name)
    if server is None:
        raise ResourceNotFound(message=f"Tracking server {name} does not exist")
    return server


def create_mlflow_tracking_server(self: SageMakerResponse) -> ActionResult:
    name = str(self._get_param("TrackingServerName"))
    arn = f"arn:aws:sagemaker:{self.region}:{self.current_account}:mlflow-tracking-server/{name.lower()}"
    now = datetime.now(UTC)
    given = {
        field: self._get_param(field)
        for field in (
            "ArtifactStoreUri",
            "RoleArn",
            "WeeklyMaintenanceWindowStart",
            "S3BucketOwnerAccountId",
            "S3BucketOwnerVerification",
        )
    }
    _new(
        self,
        "tracking_servers",
        name,
        {
            "TrackingServerArn": arn,
            "TrackingServerName": name,
            "TrackingServerSize": self._get_param("TrackingServerSize") or "Small",
            "MlflowVersion": self._get_param("MlflowVersion") or DEFAULT_VERSION,
            "TrackingServerStatus": "Created",
            "IsActive": "Active",
            "TrackingServerUrl": f"https://t-{name.lower()}.{self.region}.experiments.sagemaker.aws",
            "AutomaticModelRegistration": bool(self._get_param("AutomaticModelRegistration")),
            "CreationTime": now,
            "LastModifiedTime": now,
            **given,
        },
    )
    return ActionResult({"TrackingServerArn": arn})


def describe_mlflow_tracking_server(self: SageMakerResponse) -> ActionResult:
    return ActionResult(_server(self))


def list_mlflow_tracking_servers(self: SageMakerResponse) -> ActionResult:
    status = self._get_param("TrackingServerStatus")
    servers = [
        {field: server[field] for field in SERVER_SUMMARY if field in server}
        for server in _state(self, "tracking_servers").values()
        if status is None or server["TrackingServerStatus"] == status
    ]
    return ActionResult(page(self, "TrackingServerSummaries", servers))


def stop_mlflow_tracking_server(self: SageMakerResponse) -> ActionResult:
    server = _server(self)
    server.update(TrackingServerStatus="Stopped", IsActive="Inactive", LastModifiedTime=datetime.now(UTC))
    return ActionResult({"TrackingServerArn": server["TrackingServerArn"]})


def create_mlflow_app(self: SageMakerResponse) -> ActionResult:
    name = str(self._get_param("Name"))
    arn = f"arn:aws:sagemaker:{self.region}:{self.current_account}:mlflow-app/app-{name.lower()}"
    now = datetime.now(UTC)
    _new(
        self,
        "apps",
        arn,
        {
            "Arn": arn,
            "Name": name,
            "ArtifactStoreUri": self._get_param("ArtifactStoreUri"),
            "MlflowVersion": DEFAULT_VERSION,
            "RoleArn": self._get_param("RoleArn"),
            "KmsKeyId": self._get_param("KmsKeyId"),
            "AccessControlConfiguration": self._get_param("AccessControlConfiguration"),
            "Status": "Created",
            "ModelRegistrationMode": self._get_param("ModelRegistrationMode") or "AutoModelRegistrationDisabled",
            "AccountDefaultStatus": self._get_param("AccountDefaultStatus") or "DISABLED",
            "DefaultDomainIdList": self._get_param("DefaultDomainIdList"),
            "WeeklyMaintenanceWindowStart": self._get_param("WeeklyMaintenanceWindowStart"),
            "CreationTime": now,
            "LastModifiedTime": now,
        },
    )
    return ActionResult({"Arn": arn})


def describe_mlflow_app(self: SageMakerResponse) -> ActionResult:
    arn = str(self._get_param("Arn"))
    app = _state(self, "apps").get(arn)
    if app is None:
        raise ResourceNotFound(message=f"MLflow app {arn} does not exist")
    return ActionResult(app)


def list_mlflow_apps(self: SageMakerResponse) -> ActionResult:
    apps = [{field: app[field] for field in APP_SUMMARY if field in app} for app in _state(self, "apps").values()]
    return ActionResult(page(self, "Summaries", apps))


OPERATIONS = {
    "create_mlflow_tracking_server": create_mlflow_tracking_server,
    "describe_mlflow_tracking_server": describe_mlflow_tracking_server,
    "list_mlflow_tracking_servers": list_mlflow_tracking_servers,
    "stop_mlflow_tracking_server": stop_mlflow_tracking_server,
    "create_mlflow_app": create_mlflow_app,
    "describe_mlflow_app": describe_mlflow_app,
    "list_mlflow_apps": list_mlflow_apps,
}
