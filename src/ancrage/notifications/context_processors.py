from django.utils.functional import SimpleLazyObject

from ancrage.notifications.models import Notification


def unread(request):
    """``unread_notifications``: the count on the bell, computed only when a page shows it."""
    user = getattr(request, "user", None)

    def count() -> int:
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.visible_to(user).unread().count()

    return {"unread_notifications": SimpleLazyObject(count)}
