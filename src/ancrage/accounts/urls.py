from django.urls import path

from ancrage.accounts.views import members, organizations, tokens

app_name = "accounts"
urlpatterns = [
    path("suggestions/", organizations.organization_suggest, name="organization_suggest"),
    path("changer/", organizations.switch_organization, name="switch_organization"),
    path("<int:organization_id>/", organizations.organization_detail, name="organization_detail"),
    path(
        "<int:organization_id>/modifier/",
        organizations.organization_update,
        name="organization_update",
    ),
    path("<int:organization_id>/membres/", members.member_list, name="member_list"),
    path("<int:organization_id>/membres/ajouter/", members.member_add, name="member_add"),
    path(
        "<int:organization_id>/membres/<int:membership_id>/",
        members.member_detail,
        name="member_detail",
    ),
    path(
        "<int:organization_id>/membres/<int:membership_id>/modifier/",
        members.member_update,
        name="member_update",
    ),
    path("jetons/", tokens.token_list, name="token_list"),
    path("jetons/nouveau/", tokens.token_create, name="token_create"),
    path("jetons/<int:token_id>/revoquer/", tokens.token_revoke, name="token_revoke"),
]
