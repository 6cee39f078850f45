"""``{% url %}`` for every template (a builtin, see settings): Django's tag, with the links whose
arguments are ids filled in by ``core.urls_fast.fast_reverse``."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.utils.html import conditional_escape

from ancrage.core.urls_fast import fast_reverse

register = template.Library()


class FastURLNode(URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        args = [arg.resolve(context) for arg in self.args]
        if not isinstance(view_name, str) or not all(type(a) is int for a in args):
            return super().render(context)
        try:
            url = fast_reverse(view_name, args)
        except Exception:  # noqa: BLE001 — Django's tag says what went wrong, as it always did
            return super().render(context)
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
