"""The rules in force, in plain words, for the public page: each sentence from a setting
(reference rate, hours per day, coordination, validation, alert, surplus shares) or a
group's own policy and rate (SPEC §4, §13).
"""

from __future__ import annotations

from collections.abc import Iterator

from sheetsync import display
from sheetsync.report.public import GroupLine, Publication
from sheetsync.template import Lang
from sheetsync.text import tr


def rule_lines(page: Publication, lang: Lang) -> list[str]:
    """One sentence per rule, general rules first, then one per group."""
    return [*_general(page, lang), *(_group_rule(g, page, lang) for g in page.groups)]


def _money(cents: int, page: Publication, lang: Lang) -> str:
    return display.money(cents, lang, page.currency)


def _general(page: Publication, lang: Lang) -> Iterator[str]:
    rules = page.rules
    yield tr(
        lang,
        "Le temps est le même pour tous : une journée de {h} heures vaut {r} (taux "
        "journalier de référence) ; durée × taux donne la valeur de référence d'une "
        "contribution, à laquelle comparer le montant demandé.",
        "Time is the same for everyone: a day of {h} hours is worth {r} (the reference "
        "daily rate); hours × rate give a contribution's reference value, to compare the "
        "amount asked for with.",
        h=display.decimal(rules.hours_per_day, lang),
        r=_money(rules.reference_rate, page, lang),
    )
    if rules.coordination_paid:
        yield tr(
            lang,
            "La coordination est rétribuée comme la production.",
            "Coordination is paid like production.",
        )
    else:
        yield tr(
            lang,
            "La coordination n'est pas rétribuée, sauf exception accordée au cas par cas.",
            "Coordination is not paid, except where an exception is approved case by case.",
        )
    yield tr(
        lang,
        "Le travail de création (créa) n'est rétribué que sur invitation, sur l'enveloppe "
        "du groupe qui invite.",
        "Creative work is paid only on invitation, out of the inviting group's envelope.",
    )
    if rules.validation_required:
        yield tr(
            lang,
            "Seules les contributions validées sont payées ; les autres restent en attente.",
            "Only validated contributions are paid; the others wait.",
        )
    else:
        yield tr(
            lang,
            "Les contributions déclarées sont payables sans validation préalable.",
            "Declared contributions are payable without prior validation.",
        )
    yield tr(
        lang,
        "Le temps des bénévoles et des rétributions non financières est valorisé au taux "
        "de référence et montré à part : il n'est jamais ajouté au consommé.",
        "The time of volunteers and of non-financial rewards is valued at the reference "
        "rate and shown apart: it is never added to the consumed.",
    )
    yield tr(
        lang,
        "Un groupe est en alerte dès que {p} de son enveloppe est consommé.",
        "A group is flagged once {p} of its envelope is consumed.",
        p=display.percent(rules.alert_threshold, lang),
    )
    yield _surplus(page, lang)


def _surplus(page: Publication, lang: Lang) -> str:
    rules = page.rules
    if not rules.surplus_commons and not rules.surplus_smoothing:
        return tr(
            lang,
            "L'excédent de fin de période n'est pas réparti : il reste non affecté.",
            "The period-end surplus is not shared out: it stays unallocated.",
        )
    return tr(
        lang,
        "À la clôture de fin de période, l'excédent va pour {c} aux communs et pour {s} au "
        "lissage (compléter ce qu'ont reçu les personnes payées moins que demandé) ; le "
        "reste n'est pas affecté.",
        "At the period-end closing, {c} of the surplus goes to the commons and {s} to "
        "smoothing (topping up the people paid less than they asked); the rest stays "
        "unallocated.",
        c=display.percent(rules.surplus_commons, lang, 2),
        s=display.percent(rules.surplus_smoothing, lang, 2),
    )


def _policy(policy: str, lang: Lang) -> str:
    words = {
        "flag": tr(
            lang,
            "un dépassement de l'enveloppe est signalé, sans réduire les montants",
            "going over the envelope is flagged, without reducing the amounts",
        ),
        "pro_rata": tr(
            lang,
            "au-delà de l'enveloppe, chacun reçoit une part proportionnelle à sa demande",
            "beyond the envelope, everyone receives a share in proportion to their ask",
        ),
        "first_come": tr(
            lang,
            "au-delà de l'enveloppe, les contributions sont payées dans l'ordre d'arrivée "
            "tant qu'elle le permet",
            "beyond the envelope, contributions are paid first come, first served, while it lasts",
        ),
    }
    return words.get(policy, policy)


def _group_rule(group: GroupLine, page: Publication, lang: Lang) -> str:
    if group.daily_rate != page.rules.reference_rate:
        return tr(
            lang,
            "{g} : {p} ; taux journalier propre : {r}.",
            "{g}: {p}; own daily rate: {r}.",
            g=group.name,
            p=_policy(group.policy, lang),
            r=_money(group.daily_rate, page, lang),
        )
    return tr(lang, "{g} : {p}.", "{g}: {p}.", g=group.name, p=_policy(group.policy, lang))
