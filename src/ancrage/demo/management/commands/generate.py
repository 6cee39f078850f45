from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ancrage.core.models import Territory
from ancrage.demo.synthetic import PRESETS, generate


class Command(BaseCommand):
    help = (
        "Crée un jeu de données synthétique pour les mesures de performance "
        "(structures, personnes, accompagnements, contacts, logements), puis calcule les indicateurs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--preset",
            choices=sorted(PRESETS),
            default="tiny",
            help="; ".join(
                f"{name} : {p.persons:,} personnes, {p.description}".replace(",", " ")
                for name, p in PRESETS.items()
            ),
        )
        parser.add_argument("--seed", type=int, default=1, help="Graine (jeux différents).")
        parser.add_argument(
            "--no-refresh", action="store_true", help="Ne pas calculer les indicateurs."
        )

    def handle(self, *args, preset, seed, no_refresh, **options):
        if not Territory.objects.filter(kind="commune").exists():
            call_command("load_territories", stdout=self.stdout)
        self.stdout.write(f"Jeu « {preset} » ({PRESETS[preset].description}), graine {seed}…")
        try:
            counts = generate(preset, seed=seed, out=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for label, count in counts.items():
            self.stdout.write(f"  {label} : {count:,}".replace(",", " "))
        if no_refresh:
            return
        import time

        from django.utils import timezone

        from ancrage.indicators.rollup import refresh_year

        started = time.perf_counter()
        year = timezone.localdate().year
        rows = refresh_year(year - 1) + refresh_year(year)
        self.stdout.write(
            f"Indicateurs calculés : {rows:,} valeurs en {time.perf_counter() - started:.1f} s".replace(
                ",", " "
            )
        )
