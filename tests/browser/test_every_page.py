"""Every page, as every persona of the demo, at 1366 px and at 390 px: no two controls or labels
overlap, no control is covered where one would click, nothing scrolls sideways on a phone, no
link leads to an error. Then each persona finds on the home page what they came for.

The demo is loaded once (a single test: a browser test's database is emptied after each). The
walk follows links from the home page, one address per page (URL name) and per persona, plus a
few records the links of the first pages do not reach; the pages nobody reached must be files,
fragments, POST-only actions or steps of a flow, listed below with the reason."""

from __future__ import annotations

import datetime

import pytest
from django.urls import resolve, reverse

from ancrage.access_registry import REGISTRY
from ancrage.accounts.models import User
from ancrage.core.territories import load_territories
from ancrage.demo.data import load_demo
from tests.browser.conftest import login
from tests.browser.crawl import crawl
from tests.core.test_access_registry import SAMPLES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.runs_long,  # ≈ 2.5 minutes: started first among the transactional tests
]

PERSONAS = (
    "admin",
    "coordination",
    "conseiller",
    "lecture",
    "partenaire",
    "financeur",
    "gestion",
    "social",
    "bailleur",
    "exploitation",
    "prestataire",
)
# GET pages that are not pages a person reads, or not reached while signed in.
NOT_PAGES = {
    "core:health": "JSON pour la supervision",
    "core:favicon": "icône",
    "core:commune_search": "fragment htmx d'un champ commune",
    "people:person_suggest": "fragment htmx de suggestions",
    "accounts:organization_suggest": "fragment htmx de suggestions de structures",
    "support:calendar_feed": "flux iCal pour un agenda",
    "notifications:open": "redirige vers la page de la notification",
    "housing:charge_notice": "PDF",
    "housing:charge_receipt": "PDF",
    "indicators:annual_report_pdf": "PDF",
    "indicators:annual_report_xlsx": "XLSX",
    "indicators:period_report_xlsx": "XLSX",
    "indicators:period_report_pdf": "PDF",
    "calls:application_document_download": "pièce jointe (PDF ou image)",
    "calls:application_letter": "PDF",
    "indicators:reporting_table": "XLSX",
    "indicators:open_data": "CSV",
    "imports:template": "XLSX",
    "support:calendar_feed_create": "POST seulement (bouton de l'agenda)",
    "support:calendar_feed_revoke": "POST seulement (bouton de l'agenda)",
    "imports:job_report": "CSV",
    "outreach:import_report": "CSV",
    "housing:occupancy_export": "CSV",
    "outreach:campaign_letters": "PDF",
    "privacy:person_export": "ZIP",
    "catalogue:pack_statement": "XLSX",
    "people:document_download": "le fichier d'un document (PDF ou image)",
    "funding:grants_export": "CSV (SCDL subventions)",
    "catalogue:service_export": "JSON ou CSV (schéma data·inclusion)",
    "funding:agreement_pdf": "PDF",
    "funding:agreement_signed_download": "PDF",
    "partnerships:charter_document": "PDF",
    "pathways:pathway_certificate": "PDF",
    "agreements:agreement_pdf": "PDF",
    "agreements:signed_download": "PDF",
    "charters:sign": "lien personnel reçu par e-mail (test_charter_signing le parcourt)",
    "account_login": "page de connexion (hors session)",
    "account_logout": "déconnexion",
    "account_signup": "inscription fermée",
    "account_inactive": "compte désactivé (hors session)",
    "account_confirm_login_code": "connexion par code (hors session)",
    "account_reset_password_done": "étape d'un parcours de mot de passe oublié",
    "account_reset_password_from_key": "lien reçu par e-mail",
    "account_reset_password_from_key_done": "étape d'un parcours de mot de passe oublié",
    "account_set_password": "compte sans mot de passe",
    "account_email": "adresse gérée par l'administration de la structure",
    "account_email_verification_sent": "étape d'un parcours d'e-mail",
    "account_confirm_email": "lien reçu par e-mail",
    "account_reauthenticate": "demandée avant une action sensible",
    "mfa_authenticate": "second facteur (hors session)",
    "mfa_index": "page d'allauth, dont le gabarit nomme des variables absentes (garde des tests)",
    "mfa_reauthenticate": "demandée avant une action sensible",
    "mfa_deactivate_totp": "compte sans TOTP en démonstration",
    "mfa_generate_recovery_codes": "compte sans TOTP en démonstration",
    "mfa_view_recovery_codes": "compte sans TOTP en démonstration",
    "mfa_download_recovery_codes": "fichier texte",
}


def post_only(name: str) -> bool:
    sample = SAMPLES.get(name)
    return sample is not None and sample.method != "get"


def records_beyond_the_first_links(user: User) -> list[str]:
    """Pages of records the first pages' links may not reach (one lease among many people…),
    for the organizations whose files ``user`` reads."""
    from ancrage.accounts.permissions import organizations_where
    from ancrage.allocation.models import AllocationRun
    from ancrage.housing.models import Inspection, Lease, Residence

    team = organizations_where(user, "team.read")
    paths = [reverse("mfa_activate_totp")]  # linked from the two-factor index, not walked
    if team:
        paths.append(reverse("core:search") + "?q=ma")  # the header's search form
    lease = Lease.objects.filter(organization_id__in=team).order_by("pk").first()
    if lease is not None:
        paths += [
            reverse("housing:lease_detail", args=[lease.pk]),
            reverse("housing:inspection_create", args=[lease.pk, "entry"]),
        ]
    inspection = Inspection.objects.filter(lease__organization_id__in=team).first()
    if inspection is not None:
        paths.append(reverse("housing:inspection_detail", args=[inspection.pk]))
    residence = Residence.objects.filter(organization_id__in=team, kind="apprentices").first()
    if residence is not None:
        paths.append(reverse("allocation:run_create", args=[residence.pk]))
    run = AllocationRun.objects.filter(residence__organization_id__in=team).first()
    if run is not None:
        paths.append(reverse("allocation:run_detail", args=[run.pk]))
    paths += _outreach_pages(team)
    paths += _orientation_pages(user)
    paths += _pack_pages(user, team)
    paths += _apprenticeship_pages(team)
    paths += _pathway_pages(user, team)
    return paths


def _pathway_pages(user, team) -> list[str]:
    """The citizen pathway of a team's residence (its current organization may be another one),
    and the apprentices opened to the school of a partner's member."""
    from ancrage.accounts.permissions import organizations_where
    from ancrage.partnerships.models import Pathway, PathwayModule, PathwayOpening

    paths = []
    module = PathwayModule.objects.filter(template__organization_id__in=team).order_by("pk").first()
    if module is not None:
        paths.append(reverse("pathways:template_detail", args=[module.template_id]))
        if module.template.organization_id in organizations_where(user, "partnerships.pathways"):
            paths.append(reverse("pathways:module_update", args=[module.pk]))
        if module.template.organization_id in organizations_where(user, "people.change"):
            paths.append(reverse("pathways:pathway_create"))
    pathway = Pathway.objects.filter(organization_id__in=team).order_by("pk").first()
    if pathway is not None:
        paths.append(reverse("pathways:pathway_detail", args=[pathway.pk]))
    opening = (
        PathwayOpening.objects.filter(
            partner_id__in=organizations_where(user, "partnerships.attend"),
            closed_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if opening is not None:
        paths.append(reverse("pathways:partner_detail", args=[opening.pk]))
    return paths


def _apprenticeship_pages(team) -> list[str]:
    """An apprenticeship contract of the team (the list is linked from an apprentice's file)."""
    from ancrage.partnerships.models import Apprenticeship

    contract = Apprenticeship.objects.filter(organization_id__in=team).order_by("pk").first()
    if contract is None:
        return []
    paths = [
        reverse("partnerships:apprenticeship_list"),
        reverse("partnerships:apprenticeship_detail", args=[contract.pk]),
    ]
    # A contract without a charter yet (its page offers to prepare one), and the charter's
    # template of a program run by the team (the current organization may run none).
    from ancrage.partnerships.models import Charter, CharterTemplate

    bare = (
        Apprenticeship.objects.filter(organization_id__in=team, charters__isnull=True)
        .order_by("pk")
        .first()
    )
    if bare is not None:
        paths.append(reverse("partnerships:charter_create", args=[bare.pk]))
    charter = Charter.objects.filter(organization_id__in=team).order_by("pk").first()
    if charter is not None:
        paths.append(reverse("partnerships:charter_detail", args=[charter.pk]))
    template = CharterTemplate.objects.filter(
        program__participants__organization_id__in=team
    ).first()
    if template is not None:
        paths.append(reverse("partnerships:template_detail", args=[template.pk]))
    return paths


def _pack_pages(user, team) -> list[str]:
    """A pack of another organization of the user than the current one (the menu lists the
    current organization's packs), and a resident opened to a provider the user serves."""
    from ancrage.accounts.permissions import organizations_where
    from ancrage.catalogue.models import Opening, Pack

    paths = []
    pack = Pack.objects.filter(organization_id__in=team).order_by("pk").first()
    if pack is not None:
        paths.append(reverse("catalogue:pack_detail", args=[pack.pk]))
    providers = organizations_where(user, "catalogue.deliver")
    opening = Opening.objects.filter(provider_id__in=providers, closed_at__isnull=True).first()
    if opening is not None:
        paths.append(reverse("catalogue:provider_resident", args=[opening.pk]))
    return paths


def _orientation_pages(user) -> list[str]:
    """Orienting one of the team's people to a service (reached from a person's file through
    the catalogue's search, one address per page name being walked)."""
    from ancrage.accounts.permissions import organizations_where
    from ancrage.catalogue.models import Service
    from ancrage.people.models import Person

    recording = organizations_where(user, "support.record")
    people = Person.objects.visible_to(user).filter(organization_id__in=recording)
    person = people.order_by("pk").first()
    service = Service.objects.filter(is_active=True).order_by("pk").first()
    if person is None or service is None:
        return []
    return [reverse("catalogue:service_orient", args=[service.pk, person.pk])]


def _outreach_pages(team) -> list[str]:
    """An outreach list's pages, for its operator's team (the local actors reach theirs by the
    menu)."""
    from ancrage.outreach.models import OutreachList

    outreach_list = OutreachList.objects.filter(organization_id__in=team).first()
    if outreach_list is None:
        return []
    pages = [
        reverse(name, args=[outreach_list.pk])
        for name in (
            "outreach:list_detail",
            "outreach:import_create",
            "outreach:targeting",
            "outreach:prospect_list",
        )
    ]
    job = outreach_list.imports.first()
    if job is not None:
        pages += [
            reverse("outreach:import_detail", args=[job.pk]),
            reverse("outreach:mapping", args=[outreach_list.pk, job.landlord_id]),
        ]
    campaign = outreach_list.campaigns.first()
    if campaign is not None:
        pages.append(reverse("outreach:campaign_detail", args=[campaign.pk]))
    prospect = outreach_list.prospects.order_by("-score", "pk").first()
    if prospect is not None:
        pages.append(reverse("outreach:prospect_detail", args=[prospect.pk]))
    return pages


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEMO = True  # the demo's logins have no second factor
    for departement in ("31", "35", "42", "59", "62", "69", "75", "80"):
        load_territories(only_departements=[departement])
    load_demo()
    from ancrage.allocation.services import start_run
    from ancrage.housing.models import Lease, Residence
    from ancrage.housing.services import record_inspection
    from ancrage.imports.models import ImportJob

    # What a team does on its first days and the demo does not hold: an import, an inventory of
    # fixtures, an allocation run (greedy: the page, not the engine, is under test).
    admin = User.objects.get(email="admin@demo.ancrage.fr")
    ImportJob.objects.create(
        organization=admin.memberships.get(organization__name="CLLAJ de l'Artois").organization,
        created_by=admin,
        filename="reprise-2025.xlsx",
        mode="all",
    )
    lease = Lease.objects.order_by("pk").first()
    if lease is not None:
        manager = User.objects.filter(
            memberships__organization=lease.organization,
            memberships__role__in=("admin", "coordinator", "counsellor"),
        ).first()
        record_inspection(
            unit=lease.unit,
            person=lease.person,
            kind="entry",
            done_on=lease.starts_on,
            items=[{"room": "Séjour", "element": "Murs", "condition": "good", "comment": ""}],
            lease=lease,
            actor=manager,
        )
    residence = Residence.objects.filter(organization__memberships__user=admin, kind="apprentices")
    residence = residence.order_by("pk").first()
    start_run(
        residence=residence,
        starts_on=datetime.date(2026, 9, 7),
        ends_on=datetime.date(2027, 6, 28),
        engine="greedy",
        actor=admin,
    )


def test_every_page_as_every_persona_is_laid_out_and_opens(demo, live_server, page):
    visited: set[str] = set()
    failures: dict[str, list[str]] = {}
    for persona in PERSONAS:
        user = User.objects.get(email=f"{persona}@demo.ancrage.fr")
        login(page, live_server, user)
        visits = crawl(
            page,
            live_server.url,
            resolve=resolve,
            seeds=records_beyond_the_first_links(user),
        )
        for visit in visits:
            visited.add(visit.view_name)
            if visit.status != 200:
                failures.setdefault(persona, []).append(f"HTTP {visit.status} {visit.url}")
            for problem in visit.problems:
                failures.setdefault(persona, []).append(f"{visit.url} — {problem}")
    assert failures == {}
    pages = {
        name for name in REGISTRY if not name.startswith(("api:", "admin:")) and not post_only(name)
    }
    assert sorted(pages - visited - set(NOT_PAGES)) == []
