from django.conf import settings


def shell(request):
    """What the layout needs on every page: demo banner, current organization and the user's others."""
    return {
        "DEMO": settings.DEMO,
        "current_membership": getattr(request, "membership", None),
        "other_memberships": getattr(request, "other_memberships", ()),
    }
