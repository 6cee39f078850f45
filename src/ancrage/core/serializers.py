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


class ModelSerializer(serializers.ModelSerializer):
    """The apps' model serializers. DRF drops ``allow_blank`` and ``allow_null`` from fields it makes
    read-only, so the OpenAPI schema claimed that a blank choice (a situation not given) could not
    occur while the API returned ``""``: read-only fields keep them, and the schema tells the truth."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        kept = {key: kwargs[key] for key in ("allow_blank", "allow_null") if key in kwargs}
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if kwargs.get("read_only"):
            kwargs.update(kept)
        return kwargs
