import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ancrage.core.models import Territory
from ancrage.demo.synthetic import PRESETS, already_generated, generate


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
            help=" ; ".join(
                f"{name} : {p.persons:,} personnes accompagnées".replace(",", " ")
                + f" ({p.description}), plus les occupant·es des logements"
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
        if already_generated(seed):
            raise CommandError(
                f"Un jeu de graine {seed} existe déjà dans cette base. Choisissez une autre graine "
                f"(--seed {seed + 1}) pour l'ajouter, ou repartez d'une base vide "
                "(SQLite : supprimez var/ancrage.sqlite3 ; PostgreSQL : recréez la base)."
            )
        self.stdout.write(f"Jeu « {preset} » ({PRESETS[preset].description}), graine {seed}…")
        started = time.perf_counter()
        try:
            counts = generate(preset, seed=seed, out=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for label, count in counts.items():
            self.stdout.write(f"  {label} : {count:,}".replace(",", " "))
        self.stdout.write(f"Écrit en {time.perf_counter() - started:.1f} s".replace(".", ","))
        if no_refresh:
            return
        from django.utils import timezone

        from ancrage.indicators.rollup import refresh_year

        started = time.perf_counter()
        year = timezone.localdate().year
        rows = refresh_year(year - 1) + refresh_year(year)
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(
            f"Indicateurs calculés : {rows:,} valeurs".replace(",", " ") + f" en {seconds} s"
        )
