"""Serializer pieces shared by the apps' APIs."""

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers


class CharField(serializers.CharField):
    """Text whose ``max_length`` counts what was sent, as the OpenAPI schema says: DRF trims the
    spaces first, so « » followed by 150 letters passed a 150 limit the schema forbids."""

    def to_internal_value(self, data):
        if self.max_length is not None and isinstance(data, str) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class SearchField(CharField):
    """Free text for a search box: control characters (NUL included) are dropped, not refused."""

    def __init__(self, **kwargs):
        # An empty box (or one holding only spaces or control characters) means "no filter".
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # The schema's maxLength counts what was sent, before the control characters go.
        text = super().to_internal_value(data)
        return "".join(ch for ch in text if ch.isprintable())


class ModelSerializer(serializers.ModelSerializer):
    """The apps' model serializers. DRF drops ``allow_blank`` and ``allow_null`` from fields it makes
    read-only, so the OpenAPI schema claimed that a blank choice (a situation not given) could not
    occur while the API returned ``""``: read-only fields keep them, and the schema tells the truth."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CharField,
        models.TextField: CharField,
    }

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        kept = {key: kwargs[key] for key in ("allow_blank", "allow_null") if key in kwargs}
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if kwargs.get("read_only"):
            kwargs.update(kept)
        return kwargs


class QueryFilter(serializers.Serializer):
    """The query parameters of a list. DRF reads ``?status=`` as "not given" and would list
    everything; a filter given empty is a 400 naming it, as the schema says (a choice is never
    empty). Search fields (``SearchField``) may be empty: an empty search finds everyone."""

    def to_internal_value(self, data):
        blank = [
            name
            for name, field in self.fields.items()
            if not isinstance(field, SearchField) and name in data and data.get(name) == ""
        ]
        if blank:
            raise serializers.ValidationError(
                {name: [_("Ce paramètre ne peut pas être vide.")] for name in blank}
            )
        return super().to_internal_value(data)
