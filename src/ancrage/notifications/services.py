"""Telling members what concerns them: ``notify`` from the other apps' services (after their
write commits), e-mails sent by the worker — one by one or in a daily summary, as each member
chose —, reading and preferences. An e-mail holds the recipient's first name, the kind of news
and a link: never a person's name, situation or any other detail."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.notifications.enums import EmailMode, NotificationKind
from ancrage.notifications.models import Notification, Preference

if TYPE_CHECKING:
    from ancrage.accounts.models import Organization, User


def email_modes(users: Iterable[User]) -> dict[int, str]:
    """Each user's e-mail mode (the daily summary when they never chose)."""
    ids = [u.pk for u in users]
    chosen = dict(Preference.objects.filter(user_id__in=ids).values_list("user_id", "email_mode"))
    return {pk: chosen.get(pk, EmailMode.DAILY) for pk in ids}


def notify(
    *,
    recipients: Iterable[User],
    organization: Organization,
    kind: str,
    message: str,
    link: str,
    key: str,
) -> list[Notification]:
    """Tell each active recipient once per ``key``; those who chose immediate e-mails get one once
    the surrounding transaction commits (sent by the worker)."""
    if kind not in NotificationKind.values:
        raise ValueError(kind)
    people = {u.pk: u for u in recipients if u.is_active}
    created = []
    for user in people.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=user,
                        organization=organization,
                        kind=kind,
                        message=message[:300],
                        link=link,
                        key=key[:100],
                    )
                )
        except IntegrityError:
            continue  # already told (a daily scan run twice)
    modes = email_modes(n.recipient for n in created)
    immediate = [n.pk for n in created if modes[n.recipient_id] == EmailMode.IMMEDIATE]
    if immediate:
        from ancrage.notifications.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.enqueue(immediate))
    return created


def _absolute(path: str) -> str:
    return settings.ANCRAGE_BASE_URL.rstrip("/") + path


def _send(user: User, notifications: list[Notification]) -> None:
    lines = [
        {
            "label": n.get_kind_display(),
            "link": _absolute(reverse("notifications:open", args=[n.pk])),
        }
        for n in notifications
    ]
    context = {
        "first_name": user.first_name,
        "lines": lines,
        "all": _absolute(reverse("notifications:list")),
    }
    subject = (
        _("Ancrage : %(kind)s") % {"kind": lines[0]["label"].lower()}
        if len(lines) == 1
        else _("Ancrage : %(count)d nouvelles notifications") % {"count": len(lines)}
    )
    send_mail(
        subject,
        render_to_string("notifications/email/notifications.txt", context),
        None,
        [user.email],
    )


def send_emails(notification_ids: Iterable[int]) -> int:
    """Send the immediate e-mails of these notifications, still unread and not yet e-mailed."""
    pending = list(
        Notification.objects.filter(
            pk__in=list(notification_ids), emailed_at__isnull=True, read_at__isnull=True
        ).select_related("recipient")
    )
    for notification in pending:
        _send(notification.recipient, [notification])
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return len(pending)


def send_daily_summaries(*, now: datetime.datetime | None = None) -> int:
    """One e-mail per member on the daily summary with unread news not yet e-mailed (the worker
    queues this every day). Returns the number of e-mails sent."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True
        )
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.recipient_id].append(notification)
    users = {n.recipient_id: n.recipient for n in pending}
    modes = email_modes(users.values())
    sent = 0
    for user_id, items in by_user.items():
        if modes[user_id] != EmailMode.DAILY:
            continue
        _send(users[user_id], items)
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
        sent += 1
    return sent


def forget_old_notifications(*, now: datetime.datetime | None = None) -> int:
    """Notifications are news, not records: read ones go after
    ``ANCRAGE_NOTIFICATION_READ_DAYS`` (90), any after ``ANCRAGE_NOTIFICATION_DAYS`` (365); a
    first name in a message does not outlive its use. Run daily by the worker."""
    now = now or timezone.now()
    read_before = now - datetime.timedelta(days=settings.ANCRAGE_NOTIFICATION_READ_DAYS)
    any_before = now - datetime.timedelta(days=settings.ANCRAGE_NOTIFICATION_DAYS)
    deleted, _by_model = Notification.objects.filter(
        Q(read_at__lt=read_before) | Q(created_at__lt=any_before)
    ).delete()
    return deleted


def mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of ``user``'s notifications read, or all of them."""
    rows = Notification.objects.visible_to(user).unread()
    if notification is not None:
        rows = rows.filter(pk=notification.pk)
    marked: int = rows.update(read_at=timezone.now())
    return marked


def set_email_mode(*, user: User, email_mode: str) -> Preference:
    if email_mode not in EmailMode.values:
        raise ValidationError(
            {"email_mode": _("Mode d'envoi inconnu : %(mode)s.") % {"mode": email_mode}}
        )
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email_mode": email_mode}
    )
    return preference
