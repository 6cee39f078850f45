"""The figures' three foreign-key constraints dropped: a refresh writes tens of thousands of
figures, each checked against three tables when its transaction commits (1 s of a national day's
14 s refresh). The figures are computed from the rows the refresh has just read; Django still
deletes an organization's or a program's figures with it and refuses to delete a territory that
has some. On PostgreSQL each constraint is dropped (nothing is checked again); SQLite, which
cannot drop one, rebuilds the table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organization_modules"),
        ("core", "0003_idempotent_requests"),
        ("indicators", "0008_figures_without_single_key_indexes"),
        ("programs", "0004_network_roles_and_contacts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="aggregate",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
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
                db_constraint=False,
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
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.territory",
                verbose_name="territoire",
            ),
        ),
    ]
