"""The figures' three single foreign-key indexes dropped (the figures are read by the indexes that
start with the scope; these cost each refresh a third of its writing). Only the indexes: the
foreign keys stay as they are, not dropped and checked again over every figure as Django's own
operation would."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organization_modules"),
        ("core", "0003_idempotent_requests"),
        ("indicators", "0007_month_facts_two_runs"),
        ("programs", "0004_network_roles_and_contacts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="aggregate",
                    name="organization",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organization",
                        verbose_name="structure",
                    ),
                ),
                migrations.AlterField(
                    model_name="aggregate",
                    name="program",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.program",
                        verbose_name="dispositif",
                    ),
                ),
                migrations.AlterField(
                    model_name="aggregate",
                    name="territory",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.territory",
                        verbose_name="territoire",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name}",
                    reverse_sql=f"CREATE INDEX {name} ON indicators_aggregate ({column})",
                )
                for name, column in (
                    ("indicators_aggregate_organization_id_15533223", "organization_id"),
                    ("indicators_aggregate_program_id_67cfd87b", "program_id"),
                    ("indicators_aggregate_territory_id_c55ab491", "territory_id"),
                )
            ],
        ),
    ]
