"""Bedrock guardrails and agents in verdicts: what keeps a guardrail's draft or version from being strong, and
which guardrail (draft or version) an agent runs with."""

from __future__ import annotations

from mlaudit.inventory import Record
from mlaudit.inventory.bedrock import (
    AgentSettings,
    BedrockAgent,
    BedrockAgentVersion,
    Guardrail,
    GuardrailPolicies,
    GuardrailVersion,
    agent_version_key,
    guardrail_id_of,
    guardrail_version_key,
)
from mlaudit.sdk.context import CheckContext

FILTER_STRENGTHS = ("NONE", "LOW", "MEDIUM", "HIGH")
DRAFT = "DRAFT"


def prompt_attack_problem(guardrail: GuardrailPolicies, required: str) -> str | None:
    """What keeps the prompt-attack filter from blocking attacks at the required strength, if anything. Raises
    ValueError for a strength that is not LOW, MEDIUM or HIGH (a mistyped setting)."""
    if required not in FILTER_STRENGTHS[1:]:
        raise ValueError(f"the setting prompt_attack_strength must be LOW, MEDIUM or HIGH, not {required!r}")
    prompt_attack = next((f for f in guardrail.content_filters if f.type == "PROMPT_ATTACK"), None)
    if prompt_attack is None:
        return "no prompt-attack filter"
    if not prompt_attack.input_enabled or prompt_attack.input_action == "NONE":
        return "the prompt-attack filter blocks nothing on input (disabled or in detect mode)"
    strength = prompt_attack.input_strength or "NONE"
    if FILTER_STRENGTHS.index(strength) < FILTER_STRENGTHS.index(required):
        return f"the prompt-attack filter's input strength is {strength}, below {required}"
    return None


def acting_rules(guardrail: GuardrailPolicies) -> list[str]:
    """The sensitive-information rules that block or mask something."""
    return [rule.name for rule in guardrail.sensitive_information if rule.acts]


def weaknesses(guardrail: GuardrailPolicies, required: str) -> list[str]:
    """Why a guardrail is not strong: prompt attacks not blocked at `required` strength, or sensitive information
    neither blocked nor masked (empty: it is strong)."""
    prompt_attack = prompt_attack_problem(guardrail, required)
    problems = [prompt_attack] if prompt_attack else []
    if not guardrail.sensitive_information:
        problems.append("no sensitive-information policy")
    elif not acting_rules(guardrail):
        problems.append("the sensitive-information policy blocks or masks nothing (rules disabled or in detect mode)")
    return problems


def guardrail_of(agent: AgentSettings, ctx: CheckContext) -> GuardrailPolicies | None:
    """The guardrail configuration an agent (draft or version) runs with: the guardrail's draft when it names
    DRAFT (or no version), else the numbered version. None when the draft no longer exists; a version that does not
    exist is a GuardrailVersion record with `found` False. Needs `Guardrail` and `GuardrailVersion` in `uses`."""
    assert agent.guardrail_id, "the agent names no guardrail"
    if agent.guardrail_version in (None, DRAFT):
        return ctx.get(Guardrail, guardrail_id_of(agent.guardrail_id))
    key = guardrail_version_key(agent.guardrail_id, agent.guardrail_version)
    return ctx.require(GuardrailVersion, GuardrailVersion.arn_for(agent.partition, agent.region, agent.account_id, key))


def routed_agent(agent_id: str, version: str, like: Record, ctx: CheckContext) -> AgentSettings | None:
    """The agent draft (version DRAFT) or numbered version an alias routes to; None when it certainly does not
    exist. `like` gives the partition, region and account. Needs `BedrockAgent` and `BedrockAgentVersion` in
    `uses`."""
    where = (like.partition, like.region, like.account_id)
    if version == DRAFT:
        return ctx.get(BedrockAgent, BedrockAgent.arn_for(*where, agent_id))
    return ctx.get(BedrockAgentVersion, BedrockAgentVersion.arn_for(*where, agent_version_key(agent_id, version)))
