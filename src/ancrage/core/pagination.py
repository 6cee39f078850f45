from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

# Larger than any table we will hold, small enough for every database's integer type.
MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` with a ceiling: a client cannot ask for a million rows or overflow the
    database. A value that is not a whole number, or out of the bounds the schema states, is a 400
    naming the parameter (DRF would silently use the default or the ceiling, and a client asking
    ``limit=true`` or ``limit=5000`` would never know)."""

    default_limit = 50
    max_limit = 500

    def get_limit(self, request):
        self._check_whole_number(request, self.limit_query_param, minimum=1, maximum=self.max_limit)
        return super().get_limit(request)

    def get_offset(self, request):
        self._check_whole_number(request, self.offset_query_param, minimum=0, maximum=MAX_OFFSET)
        return super().get_offset(request)

    def get_schema_operation_parameters(self, view):
        """The same bounds in the schema as in the checks above."""
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": MAX_OFFSET},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    @classmethod
    def query_serializer(cls) -> type[serializers.Serializer]:
        """The same parameters as a serializer, for an action paginated by hand (its schema)."""

        class PageQuery(serializers.Serializer):
            limit = serializers.IntegerField(
                required=False,
                min_value=1,
                max_value=cls.max_limit,
                help_text=_("Lignes par page."),
            )
            offset = serializers.IntegerField(
                required=False, min_value=0, max_value=MAX_OFFSET, help_text=_("Lignes sautées.")
            )

        return PageQuery

    @staticmethod
    def _check_whole_number(request, name: str, *, minimum: int, maximum: int) -> None:
        raw = request.query_params.get(name)
        if raw is None:
            return
        if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= maximum:
            raise ValidationError(
                {
                    name: [
                        _("Nombre entier de %(min)s à %(max)s attendu.")
                        % {"min": minimum, "max": maximum}
                    ]
                }
            )
