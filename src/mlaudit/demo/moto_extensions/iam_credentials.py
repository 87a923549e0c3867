"""IAM service-specific credentials (long-term Amazon Bedrock API keys among them), which moto does not implement.

- create_service_specific_credential: Active, for an existing user; with `CredentialAgeDays` it expires that many
  days after creation, without it never (no ExpirationDate), as AWS answers for Bedrock API keys. The secret is
  answered once, at creation, and never stored.
- update_service_specific_credential: Active or Inactive, as asked.
- list_service_specific_credentials: the user's, or every user's with `AllUsers` (or without a user name: moto's
  caller is no IAM user), filtered by `ServiceName`; a credential past its expiration date is listed Expired.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.iam.exceptions import NoSuchEntity
from moto.iam.responses import IamResponse
from moto.moto_api._internal import mock_random

from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = IamResponse

_CREDENTIALS = "service_specific_credentials"
LISTED_FIELDS = (
    "UserName",
    "Status",
    "ServiceUserName",
    "CreateDate",
    "ExpirationDate",
    "ServiceSpecificCredentialId",
    "ServiceName",
)


def _store(response: IamResponse) -> dict[str, dict[str, Any]]:
    return backend_state(response.backend, _CREDENTIALS)


def create_service_specific_credential(self: IamResponse) -> ActionResult:
    user = self.backend.get_user(self._get_param("UserName"))
    created = utcnow()
    days = self._get_param("CredentialAgeDays")
    credential = {
        "UserName": user.name,
        "Status": "Active",
        "ServiceUserName": f"{user.name}-at-{self.current_account}",
        "CreateDate": created,
        "ExpirationDate": created + timedelta(days=int(days)) if days else None,
        "ServiceSpecificCredentialId": "ACCA" + mock_random.get_random_string(length=17, lower_case=False),
        "ServiceName": self._get_param("ServiceName"),
    }
    credential = {k: v for k, v in credential.items() if v is not None}
    _store(self)[credential["ServiceSpecificCredentialId"]] = credential
    secret = mock_random.get_random_string(length=40)
    return ActionResult({"ServiceSpecificCredential": {**credential, "ServiceCredentialSecret": secret}})


def update_service_specific_credential(self: IamResponse) -> ActionResult:
    credential = _store(self).get(self._get_param("ServiceSpecificCredentialId"))
    if credential is None or credential["UserName"] != self._get_param("UserName"):
        raise NoSuchEntity("The service-specific credential cannot be found.")
    credential["Status"] = self._get_param("Status")
    return EmptyResult()


def _listed(credential: dict[str, Any]) -> dict[str, Any]:
    expires = credential.get("ExpirationDate")
    status = "Expired" if expires is not None and expires <= utcnow() else credential["Status"]
    return {**{k: credential[k] for k in LISTED_FIELDS if k in credential}, "Status": status}


def list_service_specific_credentials(self: IamResponse) -> ActionResult:
    service = self._get_param("ServiceName")
    all_users = str(self._get_param("AllUsers")).lower() == "true"
    user = None if all_users else self._get_param("UserName")
    credentials = [
        _listed(c)
        for c in _store(self).values()
        if (service is None or c["ServiceName"] == service) and (user is None or c["UserName"] == user)
    ]
    return ActionResult({"ServiceSpecificCredentials": credentials, "IsTruncated": False})


OPERATIONS = {
    "create_service_specific_credential": create_service_specific_credential,
    "list_service_specific_credentials": list_service_specific_credentials,
    "update_service_specific_credential": update_service_specific_credential,
}
