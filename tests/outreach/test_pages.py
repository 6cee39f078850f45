"""The outreach pages as the operator's coordinator, a local association's counsellor, a
read-only colleague and an outsider would use them."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ancrage.audit.models import AuditEvent
from ancrage.outreach.models import Prospect, ProspectImport
from ancrage.support.models import Enrollment
from tests.outreach.conftest import HEADER, csv_of, line

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client, outreach):
    client.force_login(outreach.world.owner)
    return client


@pytest.fixture
def post_now(django_capture_on_commit_callbacks):
    """The file's task is queued once the sending commits: run it then, as the worker would."""

    def post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post


def upload(outreach, owner, post_now, text, **fields):
    url = reverse("outreach:import_create", args=[outreach.outreach_list.pk])
    data = {
        "landlord": outreach.landlord.pk,
        "file": SimpleUploadedFile(
            "extrait.csv", text.encode("utf-8") if isinstance(text, str) else text
        ),
        "mode": "all",
        **fields,
    }
    return post_now(owner, url, data)


def test_check_a_file_then_import_its_valid_lines(outreach, owner, post_now):
    text = csv_of(line("T1"), line("T2", naissance="31/13/1950"), line("T3", nom="=1+1"))
    response = upload(outreach, owner, post_now, text, dry_run="on")
    assert response.status_code == 302
    page = owner.get(response["Location"]).content.decode()
    assert "Vérification terminée : rien n'a été écrit. 2 lignes refusées" in page
    assert 'Ligne <span class="ligne">3</span></strong> · colonne <code>naissance</code>' in page
    assert Prospect.objects.count() == 0
    job = ProspectImport.objects.get()
    report = owner.get(reverse("outreach:import_report", args=[job.pk]))
    content = report.content.decode("utf-8-sig")
    assert content.splitlines()[0] == "ligne;colonne;motif"
    assert "4;nom;Commence par =" in content
    response = post_now(owner, reverse("outreach:import_confirm", args=[job.pk]), {"mode": "valid"})
    assert response.status_code == 302
    page = owner.get(response["Location"]).content.decode()
    assert "Import terminé, sauf 2 lignes refusées" in page
    assert list(Prospect.objects.values_list("tenant_ref", flat=True)) == ["T1"]


def test_a_file_that_is_not_a_spreadsheet_gets_a_message_on_the_form(outreach, owner, post_now):
    response = upload(outreach, owner, post_now, b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 100)
    assert response.status_code == 400
    assert "Ce fichier n&#x27;est pas un CSV (contenu binaire)." in response.content.decode()
    assert not ProspectImport.objects.exists()


def test_the_mapping_page_saves_the_landlords_headers(outreach, owner):
    url = reverse("outreach:mapping", args=[outreach.outreach_list.pk, outreach.landlord.pk])
    response = owner.post(url, {"reference": "NUM", "nom": "NOM_USAGE", "commune": "INSEE"})
    assert response.status_code == 302
    assert outreach.outreach_list.mappings.get().columns == {
        "reference": "NUM",
        "nom": "NOM_USAGE",
        "commune": "INSEE",
    }


def test_targeting_page_adds_a_rule_a_segment_and_an_assignment(outreach, owner):
    outreach.load(csv_of(line("A"), line("B", naissance="1990", seul="non")))
    url = reverse("outreach:targeting", args=[outreach.outreach_list.pk])
    response = owner.post(
        url,
        {
            "form": "rule",
            "rule-name": "75 ans et plus, seul, étage sans ascenseur",
            "rule-weight": "40",
            "rule-field_1": "age",
            "rule-operator_1": "gte",
            "rule-value_1": "75",
            "rule-field_2": "lives_alone",
            "rule-field_3": "floor",
            "rule-operator_3": "gte",
            "rule-value_3": "1",
            "rule-field_4": "no_lift",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert dict(Prospect.objects.values_list("tenant_ref", "score")) == {"A": 40, "B": 0}
    owner.post(url, {"form": "segment", "segment-name": "Priorité 1", "segment-min_score": "30"})
    segment = outreach.outreach_list.segments.get()
    response = owner.post(
        url,
        {
            "form": "assignment",
            "assignment-segment": segment.pk,
            "assignment-territory": outreach.epci.code,
            "assignment-assignee": outreach.association.pk,
        },
    )
    assert response.status_code == 302
    assert Prospect.objects.get(tenant_ref="A").assignee == outreach.association
    page = owner.get(url).content.decode()
    assert (
        "Âge (atteint dans l&#x27;année) au moins 75 et Vit seul·e et Étage au moins 1 et Sans ascenseur"
        in page
    )
    assert "CU d&#x27;Arras (EPCI)" in page


def test_a_rule_with_a_bad_value_says_which_condition(outreach, owner):
    url = reverse("outreach:targeting", args=[outreach.outreach_list.pk])
    response = owner.post(
        url,
        {
            "form": "rule",
            "rule-name": "Âge",
            "rule-weight": "10",
            "rule-field_1": "age",
            "rule-operator_1": "gte",
            "rule-value_1": "500",
        },
    )
    assert response.status_code == 400
    assert "Condition 1 : donnez un nombre entre 0 et 130." in response.content.decode()
    assert not outreach.outreach_list.rules.exists()


def _assign_everyone(outreach):
    from ancrage.outreach import services

    segment = services.save_segment(
        outreach_list=outreach.outreach_list, name="Tous", min_score=0, actor=outreach.world.owner
    )
    services.add_assignment(
        outreach_list=outreach.outreach_list,
        segment=segment,
        territory=outreach.arras,
        assignee=outreach.association,
        actor=outreach.world.owner,
    )


def test_the_local_association_calls_gets_consent_and_opens_the_file(
    outreach, client, time_machine
):
    time_machine.move_to("2026-03-02 10:00 +01:00")
    outreach.load(csv_of(line("A", nom="Lefèvre", prenom="Hélène"), line("B", commune="62498")))
    _assign_everyone(outreach)
    client.force_login(outreach.volunteer)
    index = client.get(reverse("outreach:list_index")).content.decode()
    assert "Seniors 2026" in index and "confiée par CLLAJ de l&#x27;Artois" in index
    page = client.get(
        reverse("outreach:prospect_list", args=[outreach.outreach_list.pk])
    ).content.decode()
    assert "Hélène Lefèvre" in page and "Jeanne Martin" not in page  # B lives in Lens
    lens = Prospect.objects.get(tenant_ref="B")
    assert client.get(reverse("outreach:prospect_detail", args=[lens.pk])).status_code == 404
    target = Prospect.objects.get(tenant_ref="A")
    assert client.get(reverse("outreach:prospect_detail", args=[target.pk])).status_code == 200
    response = client.post(
        reverse("outreach:prospect_attempt", args=[target.pk]),
        {
            "attempt-channel": "call",
            "attempt-outcome": "interested",
            "attempt-occurred_on": "2026-03-02",
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("outreach:prospect_consent", args=[target.pk]), {"consent-on": "2026-03-02"}
    )
    response = client.post(
        reverse("outreach:prospect_convert", args=[target.pk]), {"convert-pathway": "adaptation"}
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get()
    assert response["Location"] == reverse("people:person_detail", args=[enrollment.person_id])
    assert enrollment.pathway == "adaptation" and enrollment.organization == outreach.association
    # The operator's admins see who read the target.
    assert AuditEvent.objects.filter(
        action="view",
        object_id=str(target.pk),
        actor=outreach.volunteer,
        organization_id=outreach.world.org.pk,
    ).exists()


def test_a_future_attempt_is_refused_on_the_form_and_nothing_is_written(outreach, owner):
    outreach.load(csv_of(line("A")))
    target = Prospect.objects.get()
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = owner.post(
        reverse("outreach:prospect_attempt", args=[target.pk]),
        {"attempt-channel": "call", "attempt-outcome": "refused", "attempt-occurred_on": future},
    )
    assert response.status_code == 400
    assert "La date ne peut pas être dans le futur." in response.content.decode()
    assert not target.attempts.exists()


def test_the_targets_list_keeps_a_constant_query_count(outreach, owner, count_queries):
    url = reverse("outreach:prospect_list", args=[outreach.outreach_list.pk])
    outreach.load(csv_of(line("A")))
    count_queries(lambda: owner.get(url))
    one = count_queries(lambda: owner.get(url))
    outreach.load(
        csv_of(*[line(f"T{i}", commune=("62041", "62004", "62498")[i % 3]) for i in range(60)])
    )
    many = count_queries(lambda: owner.get(url))
    assert one == many
    page = owner.get(url).content.decode()
    assert "Page suivante" in page  # 61 targets, 50 a page


def test_the_keyset_next_page_follows_on(outreach, owner):
    outreach.load(csv_of(*[line(f"T{i:03d}") for i in range(120)]))
    url = reverse("outreach:prospect_list", args=[outreach.outreach_list.pk])
    seen = []
    while url:
        response = owner.get(url)
        page = response.context
        seen += [p.tenant_ref for p in page["rows"]]
        url = page["next_url"]
    assert len(seen) == 120 and len(set(seen)) == 120


def test_a_read_only_colleague_reads_but_does_not_manage(outreach, client):
    outreach.load(csv_of(line("A")))
    client.force_login(outreach.world.colleague)
    assert (
        client.get(reverse("outreach:prospect_list", args=[outreach.outreach_list.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("outreach:targeting", args=[outreach.outreach_list.pk])).status_code
        == 403
    )
    target = Prospect.objects.get()
    response = client.post(
        reverse("outreach:prospect_attempt", args=[target.pk]),
        {
            "attempt-channel": "call",
            "attempt-outcome": "refused",
            "attempt-occurred_on": "2026-01-05",
        },
    )
    assert response.status_code == 403
    assert not target.attempts.exists()


def test_letters_pdf_and_recording_them(outreach, owner):
    outreach.load(csv_of(line("A"), line("B")))
    response = owner.post(
        reverse("outreach:campaign_create", args=[outreach.outreach_list.pk]),
        {"name": "Courrier de mars", "starts_on": "2026-03-02"},
    )
    assert response.status_code == 302
    campaign_url = response["Location"]
    campaign = outreach.outreach_list.campaigns.get()
    pdf = owner.get(reverse("outreach:campaign_letters", args=[campaign.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    owner.post(
        reverse("outreach:campaign_letters_sent", args=[campaign.pk]), {"sent_on": "2026-03-02"}
    )
    assert set(Prospect.objects.values_list("status", flat=True)) == {"contacted"}
    assert "Contacté·e" in owner.get(campaign_url).content.decode()


def test_header_only_file(outreach, owner, post_now):
    response = upload(outreach, owner, post_now, HEADER + "\n")
    job = ProspectImport.objects.get()
    assert owner.get(response["Location"]).status_code == 200
    assert job.status in ("done",) or job.error
