"""Common spaces become rows of a residence with their own calendar; the residence's list of
space kinds is turned into rows, named by their kind. No two active bookings of one space overlap:
an exclusion constraint on PostgreSQL, triggers on SQLite (SQLite serializes writers)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


LABELS = {
    "common_room": "Salle commune",
    "shared_garden": "Jardin partagé",
    "laundry": "Laverie",
    "shared_kitchen": "Cuisine partagée",
    "bike_storage": "Local vélos",
    "study_room": "Salle de travail",
}
UNBOOKED = {"laundry", "bike_storage"}


def spaces_as_rows(apps, schema_editor):
    Residence = apps.get_model("housing", "Residence")
    CommonSpace = apps.get_model("housing", "CommonSpace")
    for residence in Residence.objects.all():
        for kind in dict.fromkeys(residence.common_spaces or []):
            if kind in LABELS:
                CommonSpace.objects.create(
                    organization_id=residence.organization_id,
                    residence=residence,
                    kind=kind,
                    name=LABELS[kind],
                    bookable=kind not in UNBOOKED,
                )


def rows_as_spaces(apps, schema_editor):
    Residence = apps.get_model("housing", "Residence")
    CommonSpace = apps.get_model("housing", "CommonSpace")
    for residence in Residence.objects.all():
        residence.common_spaces = list(
            dict.fromkeys(
                CommonSpace.objects.filter(residence=residence).values_list("kind", flat=True)
            )
        )
        residence.save(update_fields=["common_spaces"])


PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE housing_spacebooking ADD CONSTRAINT housing_spacebooking_no_overlap
    EXCLUDE USING gist (space_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (is_active)
    """,
]
PG_BACKWARD = ["ALTER TABLE housing_spacebooking DROP CONSTRAINT housing_spacebooking_no_overlap"]
SQLITE_CONDITION = """
    NEW.is_active AND EXISTS (
        SELECT 1 FROM housing_spacebooking b
        WHERE b.space_id = NEW.space_id AND b.is_active AND b.id IS NOT NEW.id
          AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at
    )
"""
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER housing_spacebooking_no_overlap_insert
    BEFORE INSERT ON housing_spacebooking WHEN {SQLITE_CONDITION}
    BEGIN SELECT RAISE(ABORT, 'housing_spacebooking_no_overlap'); END
    """,
    f"""
    CREATE TRIGGER housing_spacebooking_no_overlap_update
    BEFORE UPDATE ON housing_spacebooking WHEN {SQLITE_CONDITION}
    BEGIN SELECT RAISE(ABORT, 'housing_spacebooking_no_overlap'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER housing_spacebooking_no_overlap_insert",
    "DROP TRIGGER housing_spacebooking_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organization_modules"),
        ("housing", "0010_unit_service_dates"),
        ("people", "0007_person_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CommonSpace",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créé le")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifié le")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("common_room", "Salle commune"),
                            ("shared_garden", "Jardin partagé"),
                            ("laundry", "Laverie"),
                            ("shared_kitchen", "Cuisine partagée"),
                            ("bike_storage", "Local vélos"),
                            ("study_room", "Salle de travail"),
                        ],
                        max_length=20,
                        verbose_name="type d'espace",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="nom")),
                (
                    "capacity",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="capacité (personnes)"
                    ),
                ),
                (
                    "bookable",
                    models.BooleanField(
                        default=True,
                        help_text="Une laverie ou un local vélos ne se réservent pas forcément.",
                        verbose_name="se réserve",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="ouvert")),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organization",
                        verbose_name="gestionnaire",
                    ),
                ),
                (
                    "residence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="spaces",
                        to="housing.residence",
                        verbose_name="résidence",
                    ),
                ),
            ],
            options={
                "verbose_name": "espace commun",
                "verbose_name_plural": "espaces communs",
                "ordering": ["name", "id"],
            },
        ),
        migrations.CreateModel(
            name="SpaceBooking",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créé le")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifié le")),
                ("starts_at", models.DateTimeField(verbose_name="début")),
                ("ends_at", models.DateTimeField(verbose_name="fin")),
                ("purpose", models.CharField(max_length=150, verbose_name="objet")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "cancelled_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="annulée le"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="réservé par",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organization",
                        verbose_name="gestionnaire",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="people.person",
                        verbose_name="pour le ou la résident·e",
                    ),
                ),
                (
                    "space",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bookings",
                        to="housing.commonspace",
                        verbose_name="espace",
                    ),
                ),
            ],
            options={
                "verbose_name": "réservation d'un espace commun",
                "verbose_name_plural": "réservations d'espaces communs",
                "ordering": ["starts_at", "id"],
            },
        ),
        migrations.AddConstraint(
            model_name="commonspace",
            constraint=models.UniqueConstraint(
                fields=("residence", "name"),
                name="housing_commonspace_unique_name",
                violation_error_message="Un espace de cette résidence porte déjà ce nom.",
            ),
        ),
        migrations.AddConstraint(
            model_name="commonspace",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "common_room",
                            "shared_garden",
                            "laundry",
                            "shared_kitchen",
                            "bike_storage",
                            "study_room",
                        ],
                    )
                ),
                name="housing_commonspace_kind_valid",
                violation_error_message="Type d'espace inconnu.",
            ),
        ),
        migrations.AddConstraint(
            model_name="commonspace",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("capacity__isnull", True),
                    models.Q(("capacity__gte", 1), ("capacity__lte", 1000)),
                    _connector="OR",
                ),
                name="housing_commonspace_capacity_plausible",
                violation_error_message="La capacité va de 1 à 1000 personnes.",
            ),
        ),
        migrations.AddIndex(
            model_name="spacebooking",
            index=models.Index(fields=["space", "starts_at"], name="housing_spacebooking_start"),
        ),
        migrations.AddConstraint(
            model_name="spacebooking",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                name="housing_spacebooking_ends_after_start",
                violation_error_message="La fin doit suivre le début.",
            ),
        ),
        migrations.AddConstraint(
            model_name="spacebooking",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("cancelled_at__isnull", True), ("is_active", True)),
                    models.Q(("cancelled_at__isnull", False), ("is_active", False)),
                    _connector="OR",
                ),
                name="housing_spacebooking_cancelled_iff_inactive",
                violation_error_message="Une réservation annulée a sa date d'annulation.",
            ),
        ),
        migrations.RunPython(spaces_as_rows, rows_as_spaces, elidable=True),
        migrations.RemoveField(
            model_name="residence",
            name="common_spaces",
        ),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
