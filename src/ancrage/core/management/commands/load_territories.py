from django.core.management.base import BaseCommand

from ancrage.core.territories import forget_file, load_territories


class Command(BaseCommand):
    help = "Charge les communes, EPCI, départements et régions (fichier officiel versionné)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--departement",
            action="append",
            dest="departements",
            help="Limiter aux communes de ce département (répétable).",
        )

    def handle(self, *args, departements=None, **options):
        counts = load_territories(only_departements=departements)
        forget_file()
        summary = ", ".join(f"{kind} : {count}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Territoires chargés — {summary}"))
