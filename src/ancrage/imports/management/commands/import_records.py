"""``ancrage import FICHIER``: the same import as the page, in the foreground."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ancrage.accounts.models import Organization, User
from ancrage.imports import services
from ancrage.imports.enums import Mode, SheetKind
from ancrage.imports.report import report_csv, summary


class Command(BaseCommand):
    help = (
        "Importe un historique (classeur XLSX, une feuille par contenu, ou CSV) au nom d'un·e "
        "membre de la structure. --verifier : rapport seulement, rien n'est écrit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fichier")
        parser.add_argument("--structure", type=int, required=True, help="Numéro de la structure.")
        parser.add_argument(
            "--utilisateur", required=True, help="E-mail du ou de la membre qui importe."
        )
        parser.add_argument(
            "--contenu", choices=SheetKind.values, default="", help="Ce que contient un CSV."
        )
        parser.add_argument(
            "--mode",
            choices=["tout", "valides"],
            default="tout",
            help="tout : rien n'est écrit si une ligne est refusée ; valides : les autres lignes.",
        )
        parser.add_argument("--verifier", action="store_true", help="Ne rien écrire.")
        parser.add_argument("--rapport", help="Écrire les lignes refusées dans ce fichier CSV.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["fichier"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        organization = Organization.objects.filter(pk=options["structure"]).first()
        user = User.objects.filter(email__iexact=options["utilisateur"], is_active=True).first()
        if organization is None or user is None:
            raise CommandError("Structure ou utilisateur·rice introuvable.")
        try:
            job = services.submit_import(
                organization=organization,
                actor=user,
                filename=path.name,
                data=path.read_bytes(),
                mode=Mode.ALL_OR_NOTHING if options["mode"] == "tout" else Mode.VALID_ONLY,
                dry_run=options["verifier"],
                kind=options["contenu"],
                enqueue=False,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        shown = [-1]

        def echo(done: int, total: int) -> None:
            tenth = done * 10 // max(total, 1)
            if tenth != shown[0]:
                shown[0] = tenth
                self.stdout.write(f"{done}/{total} lignes")

        job = services.run_job(job.pk, echo=echo)
        if job.error:
            raise CommandError(job.error)
        for label, counts in summary(job.counts):
            self.stdout.write(
                f"{label} : {counts['created']} créé(s), {counts['updated']} mis à jour, "
                f"{counts['unchanged']} déjà présent(s), {counts['refused']} refusé(s)"
            )
        for problem in job.problems[:20]:
            self.stdout.write(
                f"  {problem['sheet']}, ligne {problem['line']}, {problem['column'] or '—'} : "
                f"{problem['message']}"
            )
        if len(job.problems) > 20:
            self.stdout.write(f"  … et {len(job.problems) - 20} autre(s) (voir --rapport)")
        if options["rapport"]:
            Path(options["rapport"]).write_text(report_csv(job.problems), encoding="utf-8")
        verdict = (
            "Vérification : rien n'a été écrit."
            if job.dry_run
            else "Import écrit."
            if job.written
            else "Rien n'a été écrit (mode tout ou rien)."
        )
        self.stdout.write(verdict)
        if job.problems and not job.written and not job.dry_run:
            raise CommandError(f"{len(job.problems)} ligne(s) refusée(s).")
