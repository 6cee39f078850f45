from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ancrage.core.listing import AFTER_PARAM, BEFORE_PARAM, KeyRows, can_page_by_key, key_rows

# Larger than any table we will hold, small enough for every database's integer type.
MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` with a ceiling: a client cannot ask for a million rows or overflow the
    database. A value that is not a whole number, or out of the bounds the schema states, is a 400
    naming the parameter (DRF would silently use the default or the ceiling, and a client asking
    ``limit=true`` or ``limit=5000`` would never know).

    Unless the client asks for an ``offset``, the links ``next`` and ``previous`` page by key
    (``?apres=`` / ``?avant=``: the sort values of the last or first row, as the pages do): a
    client following them through 300,000 people pays the same for the last page as for the
    first, where ``OFFSET`` reads and throws away every row before it."""

    default_limit = 50
    max_limit = 500
    keys: KeyRows | None = None  # a page read by key; None: read by offset

    def paginate_queryset(self, queryset, request, view=None):
        self.keys = None
        wants_offset = request.query_params.get(self.offset_query_param) is not None
        if wants_offset or not can_page_by_key(queryset):
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.limit = self.get_limit(request)
        self.count = self.get_count(queryset)
        self.offset = 0
        self.keys = key_rows(
            queryset,
            after=request.query_params.get(AFTER_PARAM),
            before=request.query_params.get(BEFORE_PARAM),
            size=self.limit,
        )
        return self.keys.rows

    def get_next_link(self):
        if self.keys is None:
            return super().get_next_link()
        return self._key_link(AFTER_PARAM, self.keys.next_key)

    def get_previous_link(self):
        if self.keys is None:
            return super().get_previous_link()
        return self._key_link(BEFORE_PARAM, self.keys.previous_key)

    def _key_link(self, name: str, key: str | None) -> str | None:
        if key is None or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        for other in (AFTER_PARAM, BEFORE_PARAM, self.offset_query_param):
            url = remove_query_param(url, other)
        url = replace_query_param(url, self.limit_query_param, self.limit)
        return replace_query_param(url, name, key)

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
        for name, description in (
            (AFTER_PARAM, _("La page qui suit : la valeur donnée par le lien « next ».")),
            (BEFORE_PARAM, _("La page qui précède : la valeur donnée par le lien « previous ».")),
        ):
            parameters.append(
                {
                    "name": name,
                    "required": False,
                    "in": "query",
                    "description": description,
                    "schema": {"type": "string"},
                }
            )
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
