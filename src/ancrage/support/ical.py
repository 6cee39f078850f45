"""The counsellor's appointments as an iCalendar feed (RFC 5545), with as little personal data as possible.

A calendar app copies events to phones and cloud services outside our control, so an event carries the
person's first name and the initial of their last name, the time and the place — never the purpose,
the phone number or anything from the file.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from ancrage.accounts.querysets import team_organization_ids
from ancrage.people.queries import short_name
from ancrage.support.enums import AppointmentStatus
from ancrage.support.models import Appointment

PAST_DAYS = 30
FUTURE_DAYS = 366


def feed_appointments(user):
    """The user's appointments as counsellor, in organizations where they are still in the team."""
    now = timezone.now()
    return (
        Appointment.objects.filter(
            counsellor=user,
            organization_id__in=team_organization_ids(user),
            starts_at__gte=now - datetime.timedelta(days=PAST_DAYS),
            starts_at__lte=now + datetime.timedelta(days=FUTURE_DAYS),
        )
        .select_related("person", "desk")
        .order_by("starts_at", "id")
    )


def calendar_for(user) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Ancrage//Agenda des rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Ancrage — mes rendez-vous")
    link = settings.ANCRAGE_BASE_URL.rstrip("/") + reverse("support:agenda")
    for appointment in feed_appointments(user):
        event = Event()
        event.add("uid", f"rendez-vous-{appointment.pk}@ancrage")
        event.add("dtstamp", appointment.updated_at)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", f"Rendez-vous — {short_name(appointment.person)}")
        if appointment.where:
            event.add("location", appointment.where)
        event.add("description", f"Détails dans Ancrage : {link}")
        cancelled = appointment.status == AppointmentStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
