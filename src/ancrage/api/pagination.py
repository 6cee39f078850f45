from rest_framework.pagination import LimitOffsetPagination

# Larger than any table we will hold, small enough for every database's integer type.
MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` with a ceiling: a client cannot ask for a million rows or overflow the database."""

    default_limit = 50
    max_limit = 500

    def get_offset(self, request):
        return min(super().get_offset(request), MAX_OFFSET)
