"""Every URL name of the application and who may use it. Default deny: an unlisted view answers 403.

Keep it sorted by app. ``tests/core/test_access_registry.py`` fails on any URL missing here and checks
each entry as owner, colleague (same organization, read-only), outsider and anonymous.
"""

from ancrage.accounts.enums import ALL_ROLES, TEAM_ROLES, WRITE_ROLES, Role
from ancrage.core.access import authenticated, members, public, staff

ADMIN = Role.ADMIN

REGISTRY = {
    # core
    "core:home": authenticated(),
    "core:health": public(),
    "core:commune_search": authenticated(),
    # accounts: organizations, team, API tokens
    "accounts:switch_organization": authenticated(),
    "accounts:organization_detail": members(*ALL_ROLES, scoped=True),
    "accounts:organization_update": members(ADMIN, scoped=True),
    "accounts:member_list": members(*TEAM_ROLES, scoped=True),
    "accounts:member_add": members(ADMIN, scoped=True),
    "accounts:member_detail": members(ADMIN, scoped=True),
    "accounts:member_update": members(ADMIN, scoped=True),
    "accounts:token_list": authenticated(),
    "accounts:token_create": authenticated(),
    "accounts:token_revoke": authenticated(scoped=True),
    # programs
    "programs:program_list": members(*ALL_ROLES),
    # people
    "people:person_list": members(*TEAM_ROLES),
    "people:person_create": members(*WRITE_ROLES),
    "people:person_detail": members(*TEAM_ROLES, scoped=True),
    "people:person_update": members(*WRITE_ROLES, scoped=True),
    "people:person_suggest": members(*TEAM_ROLES),
    "people:person_merge": members(Role.ADMIN, Role.COORDINATOR, scoped=True),
    "people:objection_add": members(*WRITE_ROLES, scoped=True),
    "people:objection_remove": members(*WRITE_ROLES, scoped=True),
    "api:person-list": authenticated(),
    "api:person-detail": authenticated(scoped=True),
    # support
    "support:caseload": members(*WRITE_ROLES),
    "support:agenda": members(*WRITE_ROLES),
    "support:appointment_add": members(*WRITE_ROLES),
    "support:appointment_status": members(*WRITE_ROLES, scoped=True),
    "support:calendar_feed_create": members(*WRITE_ROLES),
    "support:calendar_feed_revoke": authenticated(),
    "support:calendar_feed": public(),  # the unguessable key in the address is the credential
    "support:follow_up_record": members(*WRITE_ROLES, scoped=True),
    "support:contact_list": members(*TEAM_ROLES),
    "support:contact_create": members(*WRITE_ROLES),
    "support:desk_list": members(Role.ADMIN, Role.COORDINATOR),
    "support:enrollment_open": members(*WRITE_ROLES, scoped=True),
    "support:enrollment_detail": members(*TEAM_ROLES, scoped=True),
    "support:enrollment_transition": members(*WRITE_ROLES, scoped=True),
    "support:step_add": members(*WRITE_ROLES, scoped=True),
    "support:step_status": members(*WRITE_ROLES, scoped=True),
    "support:note_add": members(*WRITE_ROLES, scoped=True),
    "support:assessment_add": members(*WRITE_ROLES, scoped=True),
    "support:referral_list": members(*TEAM_ROLES),
    "support:referral_create": members(*WRITE_ROLES, scoped=True),
    "support:referral_detail": members(*TEAM_ROLES, scoped=True),
    "support:referral_decide": members(*WRITE_ROLES, scoped=True),
    "api:step-list": authenticated(),
    "api:step-detail": authenticated(scoped=True),
    "api:assessment-list": authenticated(),
    "api:assessment-detail": authenticated(scoped=True),
    "api:exit-list": authenticated(),
    "api:exit-detail": authenticated(scoped=True),
    "api:referral-list": authenticated(),
    "api:referral-detail": authenticated(scoped=True),
    "api:enrollment-list": authenticated(),
    "api:enrollment-detail": authenticated(scoped=True),
    "api:contact-list": authenticated(),
    "api:contact-detail": authenticated(scoped=True),
    # housing
    "housing:residence_list": members(*TEAM_ROLES),
    "housing:residence_create": members(*WRITE_ROLES),
    "housing:residence_detail": members(*TEAM_ROLES, scoped=True),
    "housing:unit_add": members(*WRITE_ROLES, scoped=True),
    "housing:occupancy": members(*TEAM_ROLES, scoped=True),
    "housing:booking_create": members(*WRITE_ROLES, scoped=True),
    "housing:booking_detail": members(*TEAM_ROLES, scoped=True),
    "housing:booking_cancel": members(*WRITE_ROLES, scoped=True),
    "housing:rhythm_list": members(*TEAM_ROLES),
    "housing:rhythm_create": members(*WRITE_ROLES),
    # activities
    "activities:activity_list": members(*TEAM_ROLES),
    "activities:activity_create": members(*WRITE_ROLES),
    "activities:activity_detail": members(*TEAM_ROLES, scoped=True),
    "activities:session_add": members(*WRITE_ROLES, scoped=True),
    "activities:session_detail": members(*TEAM_ROLES, scoped=True),
    "activities:attendance_add": members(*WRITE_ROLES, scoped=True),
    "activities:attendance_remove": members(*WRITE_ROLES, scoped=True),
    "activities:session_head_count": members(*WRITE_ROLES, scoped=True),
    "api:activity-list": authenticated(),
    "api:activity-detail": authenticated(scoped=True),
    "api:session-list": authenticated(),
    "api:session-detail": authenticated(scoped=True),
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
    "api:organization-detail": authenticated(scoped=True),
    "api:membership-list": authenticated(),
    "api:membership-detail": authenticated(scoped=True),
    # The operators' admin checks is_staff itself; it shows no personal data beyond accounts.
    "admin:*": staff(),
}
