"""Serializer pieces shared by the apps' APIs."""

from rest_framework import serializers


class SearchField(serializers.CharField):
    """Free text for a search box: control characters (NUL included) are dropped, not refused."""

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        return "".join(ch for ch in text if ch.isprintable())
