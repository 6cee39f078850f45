from django.utils.functional import SimpleLazyObject

from ancrage.accounts.permissions import allowed_actions


def permissions(request):
    """``current_can``: the actions allowed in the current organization, for menus and buttons:
    ``{% if "people.change" in current_can %}``; ``current_modules``: the modules the organization uses. Computed only when a template asks."""
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)

    def compute() -> frozenset[str]:
        if membership is None or user is None:
            return frozenset()
        return allowed_actions(user, membership.organization_id)

    modules = membership.organization.modules_used if membership is not None else frozenset()
    return {"current_can": SimpleLazyObject(compute), "current_modules": modules}
