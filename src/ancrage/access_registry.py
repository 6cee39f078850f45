"""Who may do what: the actions members may take, and every URL name with who may use it.

Default deny: an unlisted view answers 403, an unlisted action raises ``KeyError``. Keep both tables
sorted by app. ``ancrage.accounts.permissions`` is the only reader of roles: services, views,
templates and querysets ask it whether an action is allowed, so that changing who may do something
is one line here. ``tests/core/test_access_registry.py`` fails on any URL missing here and checks
each entry as owner, colleague (same organization, read-only), outsider and anonymous;
``tests/core/test_permissions.py`` fails on a role check written anywhere else.
"""

from django.utils.translation import gettext_lazy as _

from ancrage.accounts.enums import Module, Role
from ancrage.core.access import Action, Rule, action, authenticated, members, public, staff

ADMIN, COORDINATOR, COUNSELLOR = Role.ADMIN, Role.COORDINATOR, Role.COUNSELLOR
READ_ONLY, PARTNER, FUNDER = Role.READ_ONLY, Role.PARTNER, Role.FUNDER
# The organization's own team sees the personal data it holds (and so needs MFA); all of it but
# read-only members may change things.
TEAM = (ADMIN, COORDINATOR, COUNSELLOR, READ_ONLY)
WRITERS = (ADMIN, COORDINATOR, COUNSELLOR)

ACTIONS: dict[str, Action] = {
    # accounts
    "organization.view": action(*Role, refusal=_("Vous n'êtes pas membre de cette structure.")),
    "organization.manage": action(
        ADMIN, refusal=_("Seul·e un·e administrateur·rice de la structure peut faire cela.")
    ),
    "members.view": action(*TEAM, refusal=_("Seule l'équipe de la structure voit ses membres.")),
    "members.manage": action(
        ADMIN, refusal=_("Seul·e un·e administrateur·rice de la structure peut faire cela.")
    ),
    # Who saw or changed a person's file or a member's account.
    "audit.view_access_log": action(
        ADMIN, refusal=_("Seul·e un·e administrateur·rice de la structure voit les consultations.")
    ),
    # Reading the personal data an organization holds: its people, their support, its housing.
    "team.read": action(
        *TEAM, refusal=_("Seule l'équipe de la structure consulte les dossiers qu'elle détient.")
    ),
    # programs and indicators
    "programs.view": action(*Role, refusal=_("Vous n'êtes membre d'aucune structure.")),
    # A program's network: the contact people of its organizations (the operator's, or each
    # organization's own).
    "programs.network": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration tient les contacts du réseau."),
    ),
    "programs.follow": action(
        *TEAM, FUNDER, refusal=_("Seuls l'équipe et les financeurs suivent les dispositifs.")
    ),
    "indicators.write_report": action(
        *WRITERS, refusal=_("Votre rôle ne permet pas de rédiger le bilan de cette structure.")
    ),
    # A funder's decisions on the organizations it funds: reports approved or sent back, agreements,
    # installments (only for the programs it funds).
    "funding.decide": action(
        FUNDER,
        refusal=_("Seul le financeur du dispositif décide du bilan et des versements."),
    ),
    # Answering a funder's call for applications on behalf of the organization.
    "funding.apply": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration candidate au nom de la structure."),
    ),
    # The wording of a program's tripartite charter, written by the program's operator.
    "partnerships.templates": action(
        ADMIN,
        COORDINATOR,
        refusal=_(
            "Seule la coordination ou l'administration du porteur du dispositif rédige la charte."
        ),
    ),
    # A program's committees convened by the organization: members, meetings, minutes, decisions.
    "partnerships.committees": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration de la structure anime ses comités."),
    ),
    # Agreements between partners, recorded by one of them.
    "partnerships.agreements": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration signe les conventions."),
    ),
    # The citizen pathway of a program as the organization runs it: its modules and partners.
    "partnerships.pathways": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration organise le parcours citoyen."),
    ),
    # A school's or partner's members note the attendance of the apprentices opened to it (and
    # see nothing else of them).
    "partnerships.attend": action(
        ADMIN,
        COORDINATOR,
        COUNSELLOR,
        PARTNER,
        refusal=_("Votre rôle ne permet pas de noter les présences du parcours citoyen."),
    ),
    # people
    "people.change": action(
        *WRITERS,
        refusal=_("Votre rôle ne permet pas de modifier les personnes de cette structure."),
    ),
    # The archive: files without contact for years, kept for disputes before anonymisation.
    "people.archive": action(
        ADMIN, refusal=_("Seule l'administration de la structure consulte les fiches archivées.")
    ),
    "people.merge": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration fusionne des fiches."),
    ),
    # The rights of the people whose data the organization holds (RGPD): requests, export, erasure.
    "privacy.manage": action(
        ADMIN,
        refusal=_(
            "Seule l'administration de la structure traite les demandes d'exercice de droits."
        ),
    ),
    # support (also: being the referent of an enrollment or the counsellor of an appointment)
    "support.record": action(
        *WRITERS,
        refusal=_("Votre rôle ne permet pas d'enregistrer l'accompagnement de cette structure."),
    ),
    "support.desks": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration gère les permanences."),
    ),
    # housing and allocation
    "housing.manage": action(
        *WRITERS, refusal=_("Votre rôle ne permet pas de gérer le logement de cette structure.")
    ),
    "housing.waiting_list_rules": action(
        ADMIN, refusal=_("Seule l'administration de la structure règle la liste d'attente.")
    ),
    "allocation.run": action(
        *WRITERS, refusal=_("Votre rôle ne permet pas de lancer une allocation.")
    ),
    # Bringing a year of records from a file (every line still needs the role its kind needs).
    "imports.run": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration importe des données."),
    ),
    # outreach: the operator's coordination imports landlords' files, writes the targeting rules
    # and assigns segments; the teams (operator's or assignee's) contact and open files.
    "outreach.manage": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration de l'opérateur organise le repérage."),
    ),
    "outreach.contact": action(
        *WRITERS,
        refusal=_("Votre rôle ne permet pas de contacter les personnes repérées."),
    ),
    # catalogue: an organization describes the services it offers (data·inclusion schema)
    "catalogue.manage": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration décrit les services de la structure."),
    ),
    # packs of services: the manager's coordination defines them, its team opens residents to
    # providers and records deliveries; a provider's members record the deliveries of their
    # services for the residents opened to them (and see nothing else).
    "catalogue.packs": action(
        ADMIN,
        COORDINATOR,
        refusal=_("Seule la coordination ou l'administration définit les packs de services."),
    ),
    "catalogue.residents": action(
        *WRITERS,
        refusal=_("Votre rôle ne permet pas de gérer les prestations des résident·es."),
    ),
    "catalogue.deliver": action(
        ADMIN,
        COORDINATOR,
        COUNSELLOR,
        PARTNER,
        refusal=_("Votre rôle ne permet pas d'enregistrer des prestations."),
    ),
    # activities
    "activities.manage": action(
        *WRITERS,
        refusal=_("Votre rôle ne permet pas de gérer les actions collectives de cette structure."),
    ),
}


# The pages of each module (by URL namespace): an organization that does not use a module sees
# none of its menu entries, and its pages answer 404 there (``Organization.modules_used``).
MODULES: dict[str, str] = {
    "people": Module.SUPPORT,
    "support": Module.SUPPORT,
    "imports": Module.SUPPORT,
    "housing": Module.HOUSING,
    "allocation": Module.HOUSING,
    "activities": Module.ACTIVITIES,
    "outreach": Module.OUTREACH,
}


def may(name: str, *, scoped: bool = False) -> Rule:
    """The URL rule of a page that takes the action ``name`` in the current organization (or, when
    ``scoped``, in the organization of the object the URL names: its access helper checks)."""
    return members(*ACTIONS[name].roles, scoped=scoped)


REGISTRY = {
    # core
    "core:home": authenticated(),
    "core:health": public(),
    "core:favicon": public(),
    "core:commune_search": public(),  # public reference data (INSEE), for the call pages too
    "core:search": may("team.read"),
    # accounts: organizations, team, API tokens
    "accounts:switch_organization": authenticated(),
    "accounts:organization_suggest": may("organization.view"),
    "accounts:organization_detail": may("organization.view", scoped=True),
    "accounts:organization_update": may("organization.manage", scoped=True),
    "accounts:member_list": may("members.view", scoped=True),
    "accounts:member_add": may("members.manage", scoped=True),
    "accounts:member_detail": may("members.manage", scoped=True),
    "accounts:member_update": may("members.manage", scoped=True),
    "accounts:token_list": authenticated(),
    "accounts:token_create": authenticated(),
    "accounts:token_revoke": authenticated(scoped=True),
    # programs
    "programs:program_list": may("programs.view"),
    "programs:program_network": may("programs.view", scoped=True),
    "programs:contact_add": may("programs.network", scoped=True),
    "programs:contact_end": may("programs.network", scoped=True),
    # people
    "people:person_list": may("team.read"),
    "people:person_create": may("people.change"),
    "people:person_detail": may("team.read", scoped=True),
    "people:person_update": may("people.change", scoped=True),
    "people:person_suggest": may("team.read"),
    "people:person_merge": may("people.merge", scoped=True),
    "people:objection_add": may("people.change", scoped=True),
    "people:document_add": may("people.change", scoped=True),
    "people:document_download": may("team.read", scoped=True),
    "people:document_delete": may("people.change", scoped=True),
    "people:objection_remove": may("people.change", scoped=True),
    "api:indicator-list": authenticated(),
    "api:agreement-list": authenticated(),
    "api:agreement-detail": authenticated(scoped=True),
    "api:agreement-scdl": authenticated(),  # the grants of the funders you decide for (or none)
    "api:agreement-objectives": may("funding.decide", scoped=True),
    "api:agreement-pdf": authenticated(scoped=True),
    "api:agreement-budget": authenticated(),
    "api:agreement-signed": authenticated(scoped=True),  # POST: the funder (in the service)
    "api:agreement-partnership": may("funding.decide", scoped=True),
    "api:agreement-installments": may("funding.decide", scoped=True),
    "api:installment-list": authenticated(),
    "api:installment-detail": authenticated(scoped=True),
    "api:installment-ask": authenticated(scoped=True),
    "api:installment-pay": may("funding.decide", scoped=True),
    "api:call-list": authenticated(),
    "api:call-detail": authenticated(scoped=True),
    "api:call-publish": may("funding.decide", scoped=True),
    "api:call-ranking": authenticated(scoped=True),
    "api:application-list": authenticated(),
    "api:application-detail": authenticated(scoped=True),
    "api:application-documents": may("funding.apply", scoped=True),
    "api:application-document": authenticated(scoped=True),  # DELETE: the applicant (service)
    "api:application-submit": may("funding.apply", scoped=True),
    "api:application-review": authenticated(scoped=True),
    "api:application-reviews": may("funding.decide", scoped=True),
    "api:application-decide": may("funding.decide", scoped=True),
    "api:application-letter": authenticated(scoped=True),
    "api:annual-report-list": authenticated(),
    "api:annual-report-detail": authenticated(scoped=True),
    "api:annual-report-submit": may("indicators.write_report"),
    "api:annual-report-approve": may("funding.decide", scoped=True),
    "api:annual-report-send-back": may("funding.decide", scoped=True),
    "api:indicator-freshness": authenticated(),  # POST: the view asks for a team role
    "api:indicator-detail": authenticated(),
    "api:indicator-values": authenticated(scoped=True),
    "api:person-list": authenticated(),
    "api:person-detail": authenticated(scoped=True),
    "api:document-list": authenticated(),
    "api:document-detail": authenticated(scoped=True),
    "api:document-file": authenticated(scoped=True),
    # support
    "support:caseload": may("support.record"),
    "support:steps_update": may("support.record"),
    "support:agenda": may("support.record"),
    "support:appointment_add": may("support.record"),
    "support:appointment_status": may("support.record", scoped=True),
    "support:calendar_feed_create": may("support.record"),
    "support:calendar_feed_revoke": authenticated(),
    "support:calendar_feed": public(),  # the unguessable key in the address is the credential
    "support:follow_up_record": may("support.record", scoped=True),
    "support:contact_list": may("team.read"),
    "support:contact_create": may("support.record"),
    "support:contact_link_person": may("support.record", scoped=True),
    "support:desk_list": may("support.desks"),
    "support:enrollment_open": may("support.record", scoped=True),
    "support:enrollment_detail": may("team.read", scoped=True),
    "support:enrollment_transition": may("support.record", scoped=True),
    "support:step_add": may("support.record", scoped=True),
    "support:step_status": may("support.record", scoped=True),
    "support:note_add": may("support.record", scoped=True),
    "support:assessment_add": may("support.record", scoped=True),
    "support:pathway_set": may("support.record", scoped=True),
    "support:work_add": may("support.record", scoped=True),
    "support:work_done": may("support.record", scoped=True),
    "support:home_adapted": may("support.record", scoped=True),
    "support:milestone_add": may("support.record", scoped=True),
    "support:milestone_delete": may("support.record", scoped=True),
    "support:referral_list": may("team.read"),
    "support:partner_directory": may("team.read"),
    "support:referral_create": may("support.record", scoped=True),
    "support:referral_detail": may("team.read", scoped=True),
    "support:referral_decide": may("support.record", scoped=True),
    "api:step-list": authenticated(),
    "api:step-detail": authenticated(scoped=True),
    "api:step-set-status": may("support.record", scoped=True),
    "api:adaptation-work-list": authenticated(),
    "api:adaptation-work-detail": authenticated(scoped=True),
    "api:adaptation-work-done": may("support.record", scoped=True),
    "api:insertion-milestone-list": authenticated(),
    "api:insertion-milestone-detail": authenticated(scoped=True),
    "api:enrollment-set-pathway": may("support.record", scoped=True),
    "api:enrollment-home-adapted": may("support.record", scoped=True),
    "api:enrollment-notes": may("support.record", scoped=True),
    "api:exit-follow-up": may("support.record", scoped=True),
    "api:referral-accept": may("support.record", scoped=True),
    "api:referral-refuse": may("support.record", scoped=True),
    "api:appointment-list": authenticated(),
    "api:appointment-detail": authenticated(scoped=True),
    "api:appointment-set-status": may("support.record", scoped=True),
    "api:desk-list": authenticated(),
    "api:desk-detail": authenticated(scoped=True),
    "api:assessment-list": authenticated(),
    "api:assessment-detail": authenticated(scoped=True),
    "api:exit-list": authenticated(),
    "api:exit-detail": authenticated(scoped=True),
    "api:referral-list": authenticated(),
    "api:referral-detail": authenticated(scoped=True),
    "api:enrollment-list": authenticated(),
    "api:enrollment-detail": authenticated(scoped=True),
    # Transitions, as on the enrollment's page.
    "api:enrollment-start-assessment": may("support.record", scoped=True),
    "api:enrollment-start-support": may("support.record", scoped=True),
    "api:enrollment-refuse": may("support.record", scoped=True),
    "api:enrollment-abandon": may("support.record", scoped=True),
    "api:enrollment-close": may("support.record", scoped=True),
    "api:contact-list": authenticated(),
    "api:contact-detail": authenticated(scoped=True),
    "api:contact-link-person": may("support.record", scoped=True),
    # housing
    "housing:residence_list": may("team.read"),
    "housing:residence_create": may("housing.manage"),
    "housing:residence_detail": may("team.read", scoped=True),
    "housing:unit_add": may("housing.manage", scoped=True),
    "housing:occupancy": may("team.read", scoped=True),
    "housing:occupancy_export": may("team.read", scoped=True),
    "housing:unit_service": may("housing.manage", scoped=True),
    "housing:booking_create": may("housing.manage", scoped=True),
    # common spaces: the team reads the calendars; the managers add spaces and book slots
    "housing:staff_slot_add": may("housing.manage", scoped=True),
    "housing:staff_slot_remove": may("housing.manage", scoped=True),
    "housing:request_list": may("team.read", scoped=True),
    "housing:request_add": may("housing.manage", scoped=True),
    "housing:request_status": may("housing.manage", scoped=True),
    "housing:pairing_add": may("housing.manage", scoped=True),
    "housing:pairing_end": may("housing.manage", scoped=True),
    "housing:survey_add": may("housing.manage", scoped=True),
    "housing:survey_detail": may("team.read", scoped=True),
    "housing:survey_edit": may("housing.manage", scoped=True),
    "housing:survey_renew_link": may("housing.manage", scoped=True),
    # the residents' answers: the unguessable link is the credential; nothing identifies them
    "survey:answer": public(),
    "housing:space_add": may("housing.manage", scoped=True),
    "housing:space_detail": may("team.read", scoped=True),
    "housing:space_edit": may("housing.manage", scoped=True),
    "housing:space_book": may("housing.manage", scoped=True),
    "housing:space_booking_cancel": may("housing.manage", scoped=True),
    "housing:booking_detail": may("team.read", scoped=True),
    "housing:booking_list": may("team.read"),
    "housing:lease_list": may("team.read"),
    "housing:application_list": may("team.read"),
    "housing:booking_cancel": may("housing.manage", scoped=True),
    "housing:charges_generate": may("housing.manage", scoped=True),
    "housing:residence_charges": may("housing.manage", scoped=True),
    "housing:account": may("team.read", scoped=True),
    "housing:arrears": may("team.read"),
    "housing:charge_notice": may("team.read", scoped=True),
    "housing:charge_receipt": may("team.read", scoped=True),
    "housing:lease_create": may("housing.manage", scoped=True),
    "housing:lease_detail": may("team.read", scoped=True),
    "housing:inspection_create": may("housing.manage", scoped=True),
    "housing:inspection_detail": may("team.read", scoped=True),
    "housing:lease_action": may("housing.manage", scoped=True),
    "housing:condition_set": may("housing.manage", scoped=True),
    "housing:allowance_add": may("housing.manage", scoped=True),
    "housing:payment_add": may("housing.manage", scoped=True),
    "housing:application_create": may("housing.manage", scoped=True),
    "housing:waiting_list": may("team.read", scoped=True),
    "housing:waiting_list_rules": may("housing.waiting_list_rules", scoped=True),
    "housing:application_close": may("housing.manage", scoped=True),
    "housing:rhythm_list": may("team.read"),
    "housing:calendar_list": may("team.read"),
    "housing:rhythm_create": may("housing.manage"),
    "api:residence-list": authenticated(),
    "api:residence-detail": authenticated(scoped=True),
    "api:residence-generate-charges": may("housing.manage", scoped=True),
    "api:unit-list": authenticated(),
    "api:unit-detail": authenticated(scoped=True),
    "api:unit-service": may("housing.manage", scoped=True),
    "api:common-space-list": authenticated(),
    "api:common-space-detail": authenticated(scoped=True),
    "api:space-booking-list": authenticated(),
    "api:space-booking-detail": authenticated(scoped=True),
    "api:space-booking-cancel": may("housing.manage", scoped=True),
    "api:survey-list": authenticated(),
    "api:staff-slot-list": authenticated(),
    "api:pairing-list": authenticated(),
    "api:pairing-detail": authenticated(scoped=True),
    "api:pairing-end": may("housing.manage", scoped=True),
    "api:staff-slot-detail": authenticated(scoped=True),
    "api:residence-request-list": authenticated(),
    "api:residence-request-detail": authenticated(scoped=True),
    "api:survey-detail": authenticated(scoped=True),
    "api:survey-renew-link": may("housing.manage", scoped=True),
    "api:rhythm-list": authenticated(),
    "api:rhythm-detail": authenticated(scoped=True),
    "api:school-calendar-list": authenticated(),
    "api:school-calendar-detail": authenticated(scoped=True),
    "api:booking-list": authenticated(),
    "api:booking-detail": authenticated(scoped=True),
    "api:booking-cancel": may("housing.manage", scoped=True),
    "api:booking-restore": may("housing.manage", scoped=True),
    "api:booking-generate-charges": may("housing.manage", scoped=True),
    "api:lease-sign": may("housing.manage", scoped=True),
    "api:lease-end": may("housing.manage", scoped=True),
    "api:lease-slide": may("housing.manage", scoped=True),
    "api:lease-set-condition": may("housing.manage", scoped=True),
    "api:payment-allowances": may("housing.manage"),
    "api:housing-application-close": may("housing.manage", scoped=True),
    "api:lease-list": authenticated(),
    "api:lease-detail": authenticated(scoped=True),
    "api:inspection-list": authenticated(),
    "api:inspection-detail": authenticated(scoped=True),
    "api:charge-list": authenticated(),
    "api:charge-detail": authenticated(scoped=True),
    "api:payment-list": authenticated(),
    "api:payment-detail": authenticated(scoped=True),
    "api:housing-application-list": authenticated(),
    "api:housing-application-detail": authenticated(scoped=True),
    "api:allocation-run-list": authenticated(),
    "api:allocation-run-detail": authenticated(scoped=True),
    # allocation
    "allocation:run_create": may("allocation.run", scoped=True),
    "allocation:territory_run_create": may("allocation.run"),
    "allocation:run_detail": may("team.read", scoped=True),
    "allocation:run_accept": may("allocation.run", scoped=True),
    # indicators: the views check the slice asked for (Audience/Selection) and answer 404 otherwise
    "indicators:dashboard": authenticated(scoped=True),
    "indicators:definitions": authenticated(),
    "indicators:open_data": authenticated(scoped=True),
    # calls for applications: public pages, the funder's follow-up, applications, reviews
    "calls:public_list": public(),
    "calls:public_detail": public(),
    "calls:application_start": may("funding.apply"),
    "calls:call_list": may("organization.view"),
    "calls:call_create": may("funding.decide"),
    "calls:call_detail": authenticated(scoped=True),
    "calls:call_publish": may("funding.decide", scoped=True),
    "calls:access_request_decide": may("funding.decide", scoped=True),
    "calls:application_detail": authenticated(scoped=True),
    "calls:application_save": may("funding.apply", scoped=True),
    "calls:application_document_add": may("funding.apply", scoped=True),
    "calls:application_document_download": authenticated(scoped=True),
    "calls:application_document_delete": may("funding.apply", scoped=True),
    "calls:application_submit": may("funding.apply", scoped=True),
    "calls:application_review": authenticated(scoped=True),
    "calls:application_decide": may("funding.decide", scoped=True),
    "calls:application_letter": authenticated(scoped=True),
    # funding: agreements between a funder and the organizations it funds
    "funding:agreement_list": may("organization.view"),
    "funding:agreement_create": may("funding.decide"),
    "funding:grants_export": may("funding.decide"),
    "funding:budget": may("organization.view"),
    "funding:agreement_detail": authenticated(scoped=True),
    "funding:objective_set": may("funding.decide", scoped=True),
    "funding:agreement_pdf": authenticated(scoped=True),
    "funding:agreement_signed_add": may("funding.decide", scoped=True),
    "funding:agreement_partnership": may("funding.decide", scoped=True),
    "funding:agreement_signed_download": authenticated(scoped=True),
    "funding:installment_add": may("funding.decide", scoped=True),
    "funding:installment_request": authenticated(scoped=True),
    "funding:installment_pay": may("funding.decide", scoped=True),
    "indicators:annual_report": authenticated(scoped=True),
    "indicators:period_report": authenticated(scoped=True),
    "indicators:period_report_xlsx": authenticated(scoped=True),
    "indicators:period_report_pdf": authenticated(scoped=True),
    "indicators:report_submit": may("indicators.write_report", scoped=True),
    "indicators:report_decide": may("funding.decide", scoped=True),
    "indicators:annual_report_pdf": authenticated(scoped=True),
    "indicators:annual_report_xlsx": authenticated(scoped=True),
    "indicators:reporting_table": may("team.read", scoped=True),
    # activities
    # catalogue: every member searches the services offered; an organization's coordination
    # describes its own (its helpers answer 404 on another organization's service)
    "catalogue:service_list": may("organization.view"),
    "catalogue:service_detail": may("organization.view"),
    "catalogue:service_export": may("organization.view"),  # the current organization's services
    "catalogue:service_create": may("catalogue.manage"),
    "catalogue:service_import": may("catalogue.manage"),
    "catalogue:service_update": may("catalogue.manage", scoped=True),
    "catalogue:service_active": may("catalogue.manage", scoped=True),
    "catalogue:service_delete": may("catalogue.manage", scoped=True),
    # orienting one of your team's people to a service (a referral or a step, with consent)
    "catalogue:service_orient": may("support.record", scoped=True),
    "api:service-orient": may("support.record"),  # the person: 400 unless your team's
    "api:service-list": authenticated(),  # POST: catalogue.manage (service)
    "api:service-detail": authenticated(),  # PATCH, DELETE: catalogue.manage, own services only
    "api:service-export": authenticated(),
    "api:service-import": may("catalogue.manage"),
    # packs: the manager's team follows them (its coordination defines them); its helpers
    # answer 404 on another organization's pack, resident, opening or delivery
    "catalogue:pack_list": may("team.read"),
    "catalogue:pack_create": may("catalogue.packs"),
    "catalogue:pack_detail": may("team.read", scoped=True),
    "catalogue:pack_statement": may("team.read", scoped=True),
    "catalogue:pack_update": may("catalogue.packs", scoped=True),
    "catalogue:pack_delete": may("catalogue.packs", scoped=True),
    "catalogue:entitlement_add": may("catalogue.packs", scoped=True),
    "catalogue:entitlement_update": may("catalogue.packs", scoped=True),
    "catalogue:entitlement_delete": may("catalogue.packs", scoped=True),
    "catalogue:pack_resident": may("team.read", scoped=True),
    "catalogue:delivery_create": may("catalogue.residents", scoped=True),
    "catalogue:opening_create": may("catalogue.residents", scoped=True),
    "catalogue:opening_close": may("catalogue.residents", scoped=True),
    # undoing a delivery: the manager's team, or the provider's members for their own
    "catalogue:delivery_delete": may("catalogue.deliver", scoped=True),
    # a provider's members: the residents opened to their organization, nothing else
    "catalogue:provider_residents": may("catalogue.deliver"),
    "catalogue:provider_resident": may("catalogue.deliver", scoped=True),
    "api:pack-list": authenticated(),  # POST: catalogue.packs
    "api:pack-detail": authenticated(scoped=True),  # PATCH, DELETE: catalogue.packs
    "api:pack-residents": may("team.read", scoped=True),
    "api:pack-statement": may("team.read", scoped=True),
    "api:entitlement-list": authenticated(),  # POST: catalogue.packs (the pack's organization)
    "api:entitlement-detail": authenticated(scoped=True),
    "api:pack-opening-list": authenticated(),  # POST: catalogue.residents
    "api:pack-opening-detail": authenticated(scoped=True),
    "api:pack-opening-close": may("catalogue.residents", scoped=True),
    # the manager's team, or a provider's members for the residents opened to them
    "api:delivery-list": authenticated(),
    "api:delivery-detail": authenticated(scoped=True),
    # partnerships: a person's apprenticeship contract, recorded by the team that follows them
    # the citizen pathway: templates, apprentices' pathways, and the partners' side
    "pathways:pathway_list": may("team.read"),
    "pathways:template_create": may("partnerships.pathways"),
    "pathways:template_detail": may("team.read", scoped=True),
    "pathways:module_add": may("partnerships.pathways", scoped=True),
    "pathways:module_update": may("partnerships.pathways", scoped=True),
    "pathways:module_delete": may("partnerships.pathways", scoped=True),
    "pathways:pathway_create": may("people.change"),
    "pathways:pathway_detail": may("team.read", scoped=True),
    "pathways:pathway_register": may("people.change", scoped=True),
    "pathways:pathway_unregister": may("people.change", scoped=True),
    "pathways:opening_create": may("people.change", scoped=True),
    "pathways:opening_close": may("people.change", scoped=True),
    "pathways:pathway_close": may("people.change", scoped=True),
    "pathways:pathway_certificate": may("team.read", scoped=True),
    "pathways:partner_list": may("partnerships.attend"),
    "pathways:partner_detail": may("partnerships.attend", scoped=True),
    "partnerships:apprenticeship_list": may("team.read"),
    "partnerships:apprenticeship_create": may("people.change"),
    "partnerships:apprenticeship_detail": may("team.read", scoped=True),
    "partnerships:apprenticeship_update": may("people.change", scoped=True),
    "partnerships:apprenticeship_delete": may("people.change", scoped=True),
    "partnerships:apprenticeship_rhythm": may("housing.manage", scoped=True),  # + people.change
    # the tripartite charter: templates (the program's operator), charters (the contract's team)
    "partnerships:template_list": may("team.read"),
    "partnerships:template_create": may("partnerships.templates"),
    "partnerships:template_detail": may("team.read", scoped=True),
    "partnerships:charter_create": may("people.change", scoped=True),
    "partnerships:charter_detail": may("team.read", scoped=True),
    "partnerships:charter_document": may("team.read", scoped=True),
    "partnerships:charter_resend": may("people.change", scoped=True),
    "partnerships:charter_revoke": may("people.change", scoped=True),
    # a program's committees: the convening organization's team, and the members with an account
    "committees:committee_list": authenticated(),
    "committees:committee_create": may("partnerships.committees"),
    "committees:committee_detail": authenticated(scoped=True),
    "committees:member_add": may("partnerships.committees", scoped=True),
    "committees:member_leave": may("partnerships.committees", scoped=True),
    "committees:meeting_create": may("partnerships.committees", scoped=True),
    "committees:meeting_detail": authenticated(scoped=True),
    "committees:meeting_update": may("partnerships.committees", scoped=True),
    "committees:decision_add": may("partnerships.committees", scoped=True),
    "committees:decision_done": authenticated(scoped=True),  # the owner or the organizers
    # agreements between partners: the recording organization and the parties' members
    "agreements:agreement_list": authenticated(),
    "agreements:agreement_create": may("partnerships.agreements"),
    "agreements:agreement_detail": authenticated(scoped=True),
    "agreements:agreement_pdf": authenticated(scoped=True),
    "agreements:signed_add": may("partnerships.agreements", scoped=True),
    "agreements:signed_download": authenticated(scoped=True),
    # the parties sign without an account: the personal link is the credential
    "charters:sign": public(),
    "charters:verify": public(),
    "api:apprenticeship-list": authenticated(),  # POST: people.change (the person's team)
    "api:apprenticeship-detail": authenticated(scoped=True),
    "api:charter-template-list": authenticated(),  # POST: the program's operator
    "api:charter-template-detail": authenticated(scoped=True),
    "api:charter-list": authenticated(),  # POST: people.change (the contract's team)
    "api:charter-detail": authenticated(scoped=True),
    "api:charter-document": authenticated(scoped=True),
    "api:charter-revoke": may("people.change", scoped=True),
    "api:charter-resend": may("people.change", scoped=True),
    "api:partner-agreement-list": authenticated(),  # POST: partnerships.agreements
    "api:partner-agreement-detail": authenticated(scoped=True),
    "api:partner-agreement-pdf": authenticated(scoped=True),
    "api:partner-agreement-signed": authenticated(scoped=True),  # POST: the recorder
    "api:committee-list": authenticated(),  # POST: partnerships.committees
    "api:committee-detail": authenticated(scoped=True),
    "api:committee-members": may("partnerships.committees", scoped=True),
    "api:meeting-list": authenticated(),
    "api:meeting-detail": authenticated(scoped=True),  # PATCH: partnerships.committees
    "api:decision-list": authenticated(),
    "api:decision-detail": authenticated(scoped=True),
    "api:decision-done": authenticated(scoped=True),  # the owner or the organizers
    "api:pathway-template-list": authenticated(),  # POST: partnerships.pathways
    "api:pathway-template-detail": authenticated(scoped=True),  # PATCH: partnerships.pathways
    "api:pathway-module-list": authenticated(),  # POST: partnerships.pathways
    "api:pathway-module-detail": authenticated(scoped=True),  # PATCH, DELETE: the same
    "api:pathway-list": authenticated(),  # POST: people.change
    "api:pathway-detail": authenticated(scoped=True),
    "api:pathway-close": may("people.change", scoped=True),
    "api:pathway-reopen": may("people.change", scoped=True),
    "api:pathway-certificate": may("team.read", scoped=True),
    "api:pathway-opening-list": authenticated(),  # POST: people.change
    "api:pathway-opening-detail": authenticated(scoped=True),
    "api:pathway-opening-close": may("people.change", scoped=True),
    # the partner's side: an opening to the member's organization
    "api:pathway-opening-sessions": may("partnerships.attend", scoped=True),
    "api:pathway-opening-attendance": may("partnerships.attend", scoped=True),
    "activities:activity_list": may("team.read"),
    "activities:activity_create": may("activities.manage"),
    "activities:activity_detail": may("team.read", scoped=True),
    "activities:session_add": may("activities.manage", scoped=True),
    "activities:session_detail": may("team.read", scoped=True),
    "activities:attendance_add": may("activities.manage", scoped=True),
    "activities:attendances_add": may("activities.manage", scoped=True),
    "activities:attendance_remove": may("activities.manage", scoped=True),
    "activities:session_head_count": may("activities.manage", scoped=True),
    "activities:registration_add": may("activities.manage", scoped=True),
    "activities:registration_remove": may("activities.manage", scoped=True),
    "activities:session_cancel": may("activities.manage", scoped=True),
    "api:activity-list": authenticated(),
    "api:activity-detail": authenticated(scoped=True),
    "api:session-list": authenticated(),
    "api:session-detail": authenticated(scoped=True),
    "api:session-attendances": may("activities.manage", scoped=True),
    "api:session-attendances-bulk": may("activities.manage", scoped=True),
    "api:session-remove-attendance": may("activities.manage", scoped=True),
    "api:session-head-count": may("activities.manage", scoped=True),
    "api:session-registrations": may("activities.manage", scoped=True),
    "api:session-remove-registration": may("activities.manage", scoped=True),
    # allauth: login, logout, password reset (public); account security (logged in)
    "account_login": public(),
    "account_logout": authenticated(),
    "account_signup": public(),  # closed: the adapter refuses public sign-up
    "account_inactive": public(),
    "account_confirm_login_code": public(),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key": public(),
    "account_reset_password_from_key_done": public(),
    "account_change_password": authenticated(),
    "account_set_password": authenticated(),
    "account_reauthenticate": authenticated(),
    "account_email": authenticated(),
    "account_email_verification_sent": public(),
    "account_confirm_email": public(),
    "mfa_authenticate": public(),  # second step of login: the user is not logged in yet
    "mfa_index": authenticated(),
    "mfa_activate_totp": authenticated(),
    "mfa_deactivate_totp": authenticated(),
    "mfa_reauthenticate": authenticated(),
    "mfa_generate_recovery_codes": authenticated(),
    "mfa_view_recovery_codes": authenticated(),
    "mfa_download_recovery_codes": authenticated(),
    # API: same rules, enforced by ancrage.api.permissions.RegistryPermission
    "api:schema": public(),
    "api:docs": public(),
    "api:organization-list": authenticated(),
    "api:organization-directory": may("organization.view"),
    "api:organization-detail": authenticated(scoped=True),
    "api:program-list": may("programs.view"),
    "api:program-detail": may("programs.view", scoped=True),
    "api:program-contact-list": authenticated(),  # POST: programs.network
    "api:program-contact-detail": authenticated(scoped=True),
    "api:program-contact-end": may("programs.network", scoped=True),
    "api:membership-list": authenticated(),
    "api:membership-detail": authenticated(scoped=True),
    "api:membership-change-role": may("members.manage", scoped=True),
    "api:membership-deactivate": may("members.manage", scoped=True),
    "api:membership-reactivate": may("members.manage", scoped=True),
    # privacy (RGPD): the organization's administrators
    "privacy:overview": may("privacy.manage"),
    "privacy:request_create": may("privacy.manage"),
    "privacy:request_answer": may("privacy.manage", scoped=True),
    "privacy:request_extend": may("privacy.manage", scoped=True),
    "privacy:policy_update": may("privacy.manage"),
    "privacy:person_export": may("privacy.manage", scoped=True),
    "privacy:person_erase": may("privacy.manage", scoped=True),
    "privacy:person_restore": may("people.archive", scoped=True),
    "imports:home": may("imports.run"),
    "imports:template": may("imports.run"),
    "imports:mapping": may("imports.run"),
    "imports:job_detail": may("imports.run", scoped=True),
    "imports:job_report": may("imports.run", scoped=True),
    "imports:job_confirm": may("imports.run", scoped=True),
    # outreach: the operator's coordination runs the lists (its helpers answer 404 to anyone
    # else, an assignee included); a team reads the targets of its lists or assigned to it.
    "outreach:list_index": may("team.read"),
    "outreach:landlord_outcomes": may("team.read"),  # figures only, small cells withheld
    "outreach:list_detail": may("team.read", scoped=True),
    "outreach:import_create": may("outreach.manage", scoped=True),
    "outreach:import_detail": may("outreach.manage", scoped=True),
    "outreach:import_report": may("outreach.manage", scoped=True),
    "outreach:import_confirm": may("outreach.manage", scoped=True),
    "outreach:mapping": may("outreach.manage", scoped=True),
    "outreach:targeting": may("outreach.manage", scoped=True),
    "outreach:rule_delete": may("outreach.manage", scoped=True),
    "outreach:segment_delete": may("outreach.manage", scoped=True),
    "outreach:assignment_delete": may("outreach.manage", scoped=True),
    "outreach:campaign_create": may("outreach.manage", scoped=True),
    "outreach:campaign_detail": may("outreach.manage", scoped=True),
    "outreach:campaign_letters": may("outreach.manage", scoped=True),
    "outreach:campaign_letters_sent": may("outreach.manage", scoped=True),
    "outreach:prospect_list": may("team.read", scoped=True),
    "outreach:prospect_detail": may("team.read", scoped=True),
    "outreach:prospect_attempt": may("outreach.contact", scoped=True),
    "outreach:prospect_consent": may("outreach.contact", scoped=True),
    "outreach:prospect_convert": may("outreach.contact", scoped=True),
    "api:outreach-list-list": authenticated(),  # POST: the operator's coordination (service)
    "api:outreach-list-detail": authenticated(scoped=True),
    "api:outreach-list-mapping": may("outreach.manage", scoped=True),
    "api:prospect-import-list": may("outreach.manage"),
    "api:prospect-import-detail": may("outreach.manage", scoped=True),
    "api:prospect-import-report": may("outreach.manage", scoped=True),
    "api:prospect-import-confirm": may("outreach.manage", scoped=True),
    "api:scoring-rule-list": may("team.read"),  # POST: outreach.manage (service)
    "api:scoring-rule-detail": may("team.read", scoped=True),  # DELETE: outreach.manage
    "api:segment-list": may("team.read"),
    "api:segment-detail": may("team.read", scoped=True),
    "api:assignment-list": may("team.read"),
    "api:assignment-detail": may("team.read", scoped=True),
    "api:campaign-list": may("team.read"),
    "api:campaign-detail": may("team.read", scoped=True),
    "api:campaign-letters": may("outreach.manage", scoped=True),
    "api:campaign-letters-sent": may("outreach.manage", scoped=True),
    "api:prospect-list": may("team.read"),
    "api:prospect-detail": may("team.read", scoped=True),
    "api:prospect-attempts": may("outreach.contact", scoped=True),
    "api:prospect-consent": may("outreach.contact", scoped=True),
    "api:prospect-convert": may("outreach.contact", scoped=True),
    "api:rights-request-list": may("privacy.manage"),
    "api:rights-request-detail": may("privacy.manage", scoped=True),
    "api:rights-request-answer": may("privacy.manage", scoped=True),
    "api:rights-request-export": may("privacy.manage"),
    "api:rights-request-erase": may("privacy.manage"),
    # notifications: each member's own (the helper answers 404 for anyone else's)
    "notifications:list": authenticated(),
    "notifications:open": authenticated(scoped=True),
    "notifications:read_all": authenticated(),
    "notifications:preferences": authenticated(),
    "api:notification-list": authenticated(),
    "api:notification-detail": authenticated(scoped=True),
    "api:notification-read": authenticated(scoped=True),
    "api:notification-read-all": authenticated(),
    "api:notification-preferences": authenticated(),
    # The operators' admin checks is_staff itself; it shows no personal data beyond accounts.
    "admin:*": staff(),
}
