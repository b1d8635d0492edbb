"""The rules in force, in plain words, for the public page: each sentence from a setting
(reference rate, hours per day, coordination, validation, alert, surplus shares) or a
group's own policy and rate (SPEC §4, §13).
"""

from __future__ import annotations

from collections.abc import Iterator

from sheetsync import display
from sheetsync.messages import say
from sheetsync.report.public import GroupLine, Publication
from sheetsync.template import Lang


def rule_lines(page: Publication, lang: Lang) -> list[str]:
    """One sentence per rule, general rules first, then one per group."""
    return [*_general(page, lang), *(_group_rule(g, page, lang) for g in page.groups)]


def _money(cents: int, page: Publication, lang: Lang) -> str:
    return display.money(cents, lang, page.currency)


def _general(page: Publication, lang: Lang) -> Iterator[str]:
    rules = page.rules
    yield say(
        lang,
        "report.rules_text.time_same_everyone_day_hours",
        h=display.decimal(rules.hours_per_day, lang),
        r=_money(rules.reference_rate, page, lang),
    )
    if rules.coordination_paid:
        yield say(lang, "report.rules_text.coordination_paid_like_production")
    else:
        yield say(lang, "report.rules_text.coordination_not_paid_except_where")
    yield say(lang, "report.rules_text.creative_work_paid_only_invitation")
    if rules.validation_required:
        yield say(lang, "report.rules_text.only_validated_contributions_paid_others")
    else:
        yield say(lang, "report.rules_text.declared_contributions_payable_without_prior")
    yield say(lang, "report.rules_text.time_volunteers_non_financial_rewards")
    yield say(
        lang,
        "report.rules_text.group_flagged_once_envelope_consumed",
        p=display.percent(rules.alert_threshold, lang),
    )
    yield _surplus(page, lang)


def _surplus(page: Publication, lang: Lang) -> str:
    rules = page.rules
    if not rules.surplus_commons and not rules.surplus_smoothing:
        return say(lang, "report.rules_text.period_end_surplus_not_shared")
    return say(
        lang,
        "report.rules_text.period_end_closing_surplus_goes",
        c=display.percent(rules.surplus_commons, lang, 2),
        s=display.percent(rules.surplus_smoothing, lang, 2),
    )


def _policy(policy: str, lang: Lang) -> str:
    words = {
        "flag": say(lang, "report.rules_text.going_over_envelope_flagged_without"),
        "pro_rata": say(lang, "report.rules_text.beyond_envelope_everyone_receives_share"),
        "first_come": say(lang, "report.rules_text.beyond_envelope_contributions_paid_first"),
    }
    return words.get(policy, policy)


def _group_rule(group: GroupLine, page: Publication, lang: Lang) -> str:
    if group.daily_rate != page.rules.reference_rate:
        return say(
            lang,
            "report.rules_text.own_daily_rate",
            g=group.name,
            p=_policy(group.policy, lang),
            r=_money(group.daily_rate, page, lang),
        )
    return say(lang, "report.rules_text.text", g=group.name, p=_policy(group.policy, lang))
