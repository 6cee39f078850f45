from django.core.management import call_command
from django.core.management.base import BaseCommand

from ancrage.core.actor import acting_as
from ancrage.core.models import Territory
from ancrage.demo.data import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Prépare une instance de démonstration : migrations, territoires, structures et comptes fictifs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-migrate", action="store_true", help="Ne pas appliquer les migrations."
        )

    def handle(self, *args, no_migrate=False, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
            self.stdout.write("Base de données à jour.")
        if not Territory.objects.exists():
            call_command("load_territories", stdout=self.stdout)
        with acting_as(None):
            logins = load_demo()
        width = max(len(email) for email, _ in logins)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nComptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD})"
            )
        )
        for email, description in logins:
            self.stdout.write(f"  {email.ljust(width)}  {description}")
        self.stdout.write("")
