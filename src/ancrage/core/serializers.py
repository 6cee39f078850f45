"""Serializer pieces shared by the apps' APIs."""

from rest_framework import serializers


class SearchField(serializers.CharField):
    """Free text for a search box: control characters (NUL included) are dropped, not refused."""

    def __init__(self, **kwargs):
        # An empty box (or one holding only spaces or control characters) means "no filter".
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        return "".join(ch for ch in text if ch.isprintable())
