from django import template

from ancrage.outreach.enums import RuleField, RuleOperator

register = template.Library()


@register.filter
def conditions_text(rule) -> str:
    """« Âge au moins 75, Vit seul·e, Sans ascenseur »: a rule's conditions as a sentence."""
    labels = dict(RuleField.choices)
    operators = dict(RuleOperator.choices)
    parts = []
    for condition in rule.conditions:
        label = str(labels.get(condition["field"], condition["field"]))
        if condition.get("operator") in (RuleOperator.AT_LEAST, RuleOperator.AT_MOST):
            value = str(condition.get("value", "")).replace(".", ",")
            parts.append(f"{label} {operators[condition['operator']]} {value}")
        else:
            parts.append(label)
    return " et ".join(parts)
