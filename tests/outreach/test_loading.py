"""A landlord's extract into targets: every check with its line and column, all or nothing,
re-imports by the tenant's reference, who left the file."""

from __future__ import annotations

import pytest

from ancrage.core.enums import ImportStatus
from ancrage.outreach.models import Prospect
from tests.outreach.conftest import HEADER, csv_of, line

pytestmark = pytest.mark.django_db


def problems_of(job):
    return {(p["line"], p["column"]): p["message"] for p in job.problems}


def test_valid_lines_become_targets_with_only_the_targeting_fields(outreach):
    job = outreach.load(
        csv_of(
            line("T1", naissance="12/05/1948", impayes="1 250,50", telephone="06 12 34 56 78"),
            line(
                "T2",
                nom="Durand",
                prenom="Ali",
                naissance="1985-02-28",
                commune="62498",
                seul="non",
                etage="RDC",
                ascenseur="",
                demandeur_emploi="oui",
            ),
        )
    )
    assert job.status == ImportStatus.DONE, job.error
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "refused": 0, "left": 0}
    assert job.written
    first = Prospect.objects.get(tenant_ref="T1")
    assert (first.last_name, first.first_name, first.birth_year) == ("Martin", "Jeanne", 1948)
    assert first.commune == outreach.arras
    assert (first.lives_alone, first.floor, first.has_lift, first.unit_adapted) == (
        True,
        3,
        False,
        False,
    )
    assert first.arrears_cents == 125050
    assert first.phone == "06 12 34 56 78"
    second = Prospect.objects.get(tenant_ref="T2")
    assert (second.birth_year, second.floor, second.has_lift, second.job_seeker) == (
        1985,
        0,
        None,
        True,
    )
    assert second.commune == outreach.lens
    assert not job.file  # the extract is not kept once imported


def test_each_bad_cell_is_reported_with_its_line_and_column_and_nothing_is_written(outreach):
    job = outreach.load(
        csv_of(
            line("T1"),
            line("T2", naissance="31/02/1950"),
            line("T3", commune="62000"),
            line("T1", nom="Doublon"),
            line("T5", nom='=HYPERLINK("http://x";"clic")'),
            line("T6", seul="peut-être", etage="dix", impayes="beaucoup"),
            line("", nom=""),
            line("T8", naissance="1850"),
        )
    )
    assert job.status == ImportStatus.DONE
    assert not job.written
    assert Prospect.objects.count() == 0
    problems = problems_of(job)
    assert "Date de naissance invalide" in problems[(3, "naissance")]
    assert "Commune inconnue" in problems[(4, "commune")]
    assert "double" in problems[(5, "reference")]
    assert "formule" in problems[(6, "nom")]
    assert problems[(7, "seul")] == "Oui ou non attendu."
    assert "Étage invalide" in problems[(7, "etage")]
    assert "Montant invalide" in problems[(7, "impayes")]
    assert problems[(8, "reference")] == "Valeur obligatoire."
    assert problems[(8, "nom")] == "Valeur obligatoire."
    assert "Date de naissance invalide" in problems[(9, "naissance")]
    assert job.counts["refused"] == 7
    assert (2, "reference") not in problems  # the first line of a doubled reference is fine


def test_valid_only_mode_writes_the_good_lines(outreach):
    job = outreach.load(csv_of(line("T1"), line("T2", commune="99999"), line("T3")), mode="valid")
    assert job.counts["created"] == 2 and job.counts["refused"] == 1
    assert set(Prospect.objects.values_list("tenant_ref", flat=True)) == {"T1", "T3"}


def test_a_dry_run_reports_the_same_counts_and_writes_nothing(outreach):
    job = outreach.load(csv_of(line("T1"), line("T2")), dry_run=True)
    assert job.counts["created"] == 2
    assert not job.written
    assert Prospect.objects.count() == 0
    assert job.file  # kept to be imported without sending it again


def test_next_month_updates_by_reference_and_reports_who_left(outreach):
    outreach.load(csv_of(line("T1"), line("T2"), line("T3")))
    job = outreach.load(csv_of(line("T1"), line("T2", etage="0"), line("T4")))
    assert job.counts == {"created": 1, "updated": 1, "unchanged": 1, "refused": 0, "left": 1}
    assert Prospect.objects.count() == 4
    assert Prospect.objects.get(tenant_ref="T2").floor == 0
    assert Prospect.objects.get(tenant_ref="T3").left_file_on is not None
    # Back in the file: no longer marked as gone.
    job = outreach.load(csv_of(line("T1"), line("T2", etage="0"), line("T3"), line("T4")))
    assert job.counts["updated"] == 1 and job.counts["left"] == 0
    assert Prospect.objects.get(tenant_ref="T3").left_file_on is None


def test_windows_1252_and_comma_separated_files_are_read(outreach):
    text = HEADER.replace(";", ",") + "\nT1,Lefèvre,Hélène,1940,,62041,,oui,2,non,non,non,\n"
    job = outreach.load(text.encode("cp1252"))
    assert job.counts["created"] == 1, (job.counts, job.problems, job.total_lines, job.error)
    assert Prospect.objects.get().last_name == "Lefèvre"


def test_a_ragged_line_is_read_line_by_line(outreach):
    text = csv_of(line("T1"), "T2;Durand", line("T3") + ";en trop")
    job = outreach.load(text)
    problems = problems_of(job)
    assert (
        "Commune" in problems[(3, "commune")] or problems[(3, "commune")] == "Valeur obligatoire."
    )
    assert job.counts["refused"] == 1 and not job.written


def test_a_missing_required_column_refuses_the_file(outreach):
    job = outreach.load("reference;nom\nT1;Martin\n")
    assert job.problems[0]["message"] == "Colonne obligatoire absente : « commune »."
    assert not job.written and Prospect.objects.count() == 0


def test_the_landlords_own_headers_through_its_mapping(outreach):
    from ancrage.outreach import services

    services.save_mapping(
        outreach_list=outreach.outreach_list,
        landlord=outreach.landlord,
        columns={"reference": "NUM_LOCATAIRE", "nom": "NOM_USAGE", "commune": "INSEE"},
        actor=outreach.world.owner,
    )
    job = outreach.load("NUM_LOCATAIRE;NOM_USAGE;INSEE;AUTRE\nA-1;Petit;62041;secret\n")
    assert job.counts["created"] == 1, job.problems
    assert Prospect.objects.get().tenant_ref == "A-1"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x00\x01\x02" * 1000, "n'est pas un CSV"),
        (b"", "vide"),
    ],
)
def test_garbage_is_refused_at_once(outreach, data, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        outreach.load(data)
