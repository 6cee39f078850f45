"""``ancrage retention [--dry-run]``: what the daily retention run does, now."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ancrage.privacy import retention


class Command(BaseCommand):
    help = (
        "Archive et anonymise les fiches sans activité, purge l'audit expiré, les échecs de "
        "connexion et les sessions (RGPD). --dry-run : dit ce qui serait fait, sans rien faire."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Ne rien modifier.")
        parser.add_argument(
            "--date", help="Jour de référence AAAA-MM-JJ (par défaut : aujourd'hui)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date : une date AAAA-MM-JJ est attendue.") from None
        dry_run = options["dry_run"]
        result = retention.apply(today, dry_run=dry_run)
        verb = "seraient" if dry_run else "ont été"
        self.stdout.write(
            f"Au {result.today:%d/%m/%Y} : {len(result.archive)} fiche(s) {verb} archivée(s), "
            f"{len(result.anonymise)} anonymisée(s) ; {result.audit_events} événement(s) d'audit, "
            f"{result.login_records} échec(s) de connexion, {result.sessions} session(s) "
            f"et {result.idempotency_keys} clé(s) d'idempotence de l'API "
            f"expirée(s) {verb} supprimé(s)."
        )
