"""AWS RAM shares of ML resources: who outside the organization can reach the account's models, pipelines and
features through a resource share."""

from __future__ import annotations

from mlaudit.inventory.ram import RamResourceShare
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Severity, check, failed, ml_lens, passed
from mlaudit.sdk.wording import counted, names, short_arn

ACTIVE = "ACTIVE"


@check(
    id="RAM-ML-001",
    name="ml-resources-shared-externally",
    title="SageMaker resources should not be shared through AWS RAM outside the organization",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=RamResourceShare,
    rationale="""A resource share gives other accounts access to the account's model package groups, pipelines,
    feature groups or catalogs, with the permissions the share attaches: reading model versions and their
    artefacts, starting pipelines. Within the organization that is how ML platforms share a registry; a principal
    outside it (RAM marks it external) is an account nobody in the organization governs, and the models and data
    it reaches leave the organization's controls.""",
    judges="""Active resource shares this account owns that hold at least one SageMaker resource (shares of other
    resources, shares of other accounts, and shares being deleted are left alone). A share fails when one of its
    principals is external, as RAM reports it; allowExternalPrincipals alone, with no external principal yet,
    passes with a note.""",
    remediation=Remediation(
        text="Remove the external principals from the share (or delete the share), and turn off "
        "allowExternalPrincipals so that it can only reach the organization; share with a partner through a "
        "dedicated, reviewed share of the one resource they need.",
        cli="aws ram disassociate-resource-share --resource-share-arn <share-arn> --principals <account-id> && "
        "aws ram update-resource-share --resource-share-arn <share-arn> --no-allow-external-principals",
        url="https://docs.aws.amazon.com/ram/latest/userguide/working-with-sharing-update.html",
        placeholders={"share-arn": "resource_arn"},
    ),
    references=(ml_lens("MLSEC-12"), ml_lens("MLSEC-08"), ml_lens("MLSEC-03")),
)
def ml_resources_shared_externally(share: RamResourceShare, ctx: CheckContext) -> Outcome | None:
    if share.status != ACTIVE:
        return None
    shared = names([short_arn(r.arn) for r in share.resources])
    external = [p.id for p in share.principals if p.external]
    if external:
        return failed(f"shares {shared} with {counted(len(external), 'external principal')}: {names(external)}")
    note = "; it allows external principals, none yet" if share.allow_external_principals else ""
    return passed(f"shares {shared} within the organization only{note}")
