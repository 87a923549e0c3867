"""The ECR repositories holding the images ML resources run: a model's serving container, a training or processing
job's image. An image is code with access to the data and the model; these checks judge only the repositories ML
resources use, not every repository of the account."""

from __future__ import annotations

from mlaudit.inventory import KmsKey
from mlaudit.inventory.ecr import EcrRegistryScanning, EcrRepository
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    checkov,
    config_rule,
    failed,
    kics,
    ml_lens,
    passed,
    prowler,
    security_hub,
    steampipe,
)
from mlaudit.sdk.kms import customer_managed_key
from mlaudit.sdk.wording import first_users, names, used_by

_JUDGED = """The private repositories of the scanned account that hold the image of a model, a training or tuning
    job or a processing job in the same region (jobs of the lookback window); images of AWS's accounts (deep learning
    containers, built-in algorithms), of other accounts or of other registries are not judged."""


def _users(repository: EcrRepository) -> str:
    return f"{used_by(repository.use_count)}: {first_users(repository.used_by)}"


@check(
    id="ECR-ML-001",
    name="ml-image-repository-not-scanned",
    title="Repositories of ML images should scan them for vulnerabilities",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=EcrRepository,
    uses=(EcrRegistryScanning,),
    rationale="""ML images pile up large, fast-moving dependencies (CUDA, PyTorch, Python packages pulled from public
    indexes) and run with the training data, the model and an execution role in reach. A repository whose images are
    not scanned on push, or continuously by Amazon Inspector, lets a known-vulnerable or tampered dependency reach
    training and serving unnoticed. Under enhanced scanning only the registry's rules count, as Inspector ignores the
    repository's own scan-on-push setting.""",
    judges=_JUDGED
    + """ PASS when a registry scanning rule that scans on push or continuously matches the repository, or, under
    basic scanning, when the repository scans on push.""",
    remediation=Remediation(
        text="Turn on enhanced scanning for the registry with a continuous-scan rule whose filter matches the ML "
        "repositories (or, with basic scanning, a scan-on-push rule), and act on the findings before images are used.",
        cli="aws ecr put-registry-scanning-configuration --scan-type ENHANCED "
        '--rules \'[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]\'',
        url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
    ),
    references=(
        ml_lens("MLSEC-04"),
        ml_lens("MLOE-13"),
        security_hub("ECR.1"),
        config_rule("ecr-private-image-scanning-enabled"),
        prowler("ecr_registry_scan_images_on_push_enabled"),
        prowler("ecr_repositories_scan_images_on_push_enabled"),
        steampipe("ecr_repository_image_scan_on_push_enabled"),
        checkov("CKV_AWS_163"),
    ),
)
def ml_image_repository_not_scanned(repository: EcrRepository, ctx: CheckContext) -> Outcome | None:
    registry = ctx.require(EcrRegistryScanning, repository.registry_id)
    scanning = registry.scanning(repository)
    if scanning:
        return passed(f"images are scanned: {scanning}")
    return failed(f"images are never scanned ({registry.scan_type.lower()} registry scanning); {_users(repository)}")


IMMUTABLE = frozenset({"IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"})


@check(
    id="ECR-ML-002",
    name="ml-image-repository-tags-mutable",
    title="Repositories of ML images should make image tags immutable",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=EcrRepository,
    rationale="""Models and jobs name their image by tag (`pytorch-training:2.3`). In a repository with mutable tags,
    anyone allowed to push can replace the image behind a tag, and the next endpoint scale-out, training run or
    pipeline execution silently runs different code from the one reviewed and registered with the model, which
    breaks lineage and opens a supply-chain attack. With immutable tags a tag always names the same image.""",
    judges=_JUDGED + """ IMMUTABLE_WITH_EXCLUSION passes, naming the tag filters it leaves mutable.""",
    remediation=Remediation(
        text="Make the repository's tags immutable (push each build under a new tag, such as the commit hash), or "
        "pin images by digest in models and job definitions.",
        cli="aws ecr put-image-tag-mutability --repository-name <repository> --image-tag-mutability IMMUTABLE",
        url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
        placeholders={"repository": "resource_name"},
    ),
    references=(
        ml_lens("MLOE-13"),
        ml_lens("MLSEC-04"),
        security_hub("ECR.2"),
        config_rule("ecr-private-tag-immutability-enabled"),
        prowler("ecr_repositories_tag_immutability"),
        steampipe("ecr_repository_tag_immutability_enabled"),
        checkov("CKV_AWS_51"),
        kics("ECR Image Tag Not Immutable", "d1846b12-20c5-4d45-8798-fc35b79268eb"),
    ),
)
def ml_image_repository_tags_mutable(repository: EcrRepository, ctx: CheckContext) -> Outcome | None:
    if repository.tag_mutability in IMMUTABLE:
        excepted = repository.tag_mutability_exclusions
        return passed("image tags are immutable" + (f", except {names(list(excepted))}" if excepted else ""))
    return failed(
        f"image tags are {repository.tag_mutability or 'MUTABLE'}: a push can replace the image behind a tag; {_users(repository)}"
    )


@check(
    id="ECR-ML-003",
    name="ml-image-repository-not-cmk",
    title="Repositories of ML images should be encrypted with a customer managed KMS key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=EcrRepository,
    uses=(KmsKey,),
    rationale="""ML images often bake in what they serve or train with: model weights, tokenizers, proprietary
    feature code, sometimes sample data. ECR encrypts every image at rest, by default with keys S3 manages (AES256)
    or the AWS managed aws/ecr key; only a customer managed key lets you restrict, audit and revoke who can decrypt
    the layers. The encryption is fixed when the repository is created.""",
    judges=_JUDGED
    + """ A key of another account passes (AWS managed keys cannot be shared); a key that no longer exists fails.""",
    remediation=Remediation(
        text="Create a repository encrypted with a customer managed key, push the images there (ECR cannot re-encrypt "
        "a repository), point the models and jobs at it, then delete the old repository.",
        cli="aws ecr create-repository --repository-name <repository> --image-tag-mutability IMMUTABLE "
        "--encryption-configuration encryptionType=KMS,kmsKey=<key-arn>",
        url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
    ),
    references=(
        ml_lens("MLSEC-02"),
        config_rule("ecr-repository-cmk-encryption-enabled"),
        checkov("CKV_AWS_136"),
        kics("ECR Repository Not Encrypted With CMK", "0e32d561-4b5a-4664-a6e3-a3fa85649157"),
    ),
)
def ml_image_repository_not_cmk(repository: EcrRepository, ctx: CheckContext) -> Outcome | None:
    if repository.encryption_type not in ("KMS", "KMS_DSSE"):
        return failed(
            f"images are encrypted with keys Amazon S3 manages ({repository.encryption_type or 'AES256'}), not a key you control"
        )
    if not repository.kms_key_id:
        return failed("images are encrypted with the AWS managed key aws/ecr, not a key you control")
    return customer_managed_key(repository, repository.kms_key_id, ctx, "the images")
