from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ancrage.accounts import services
from ancrage.accounts.forms import MemberAddForm, MemberRoleForm
from ancrage.accounts.models import Membership
from ancrage.accounts.permissions import can, get_organization_for_user
from ancrage.accounts.queries import get_membership_for_user
from ancrage.core.signals import object_viewed


def _organization(request, organization_id, action="members.manage"):
    return get_organization_for_user(request.user, organization_id, action=action)


@require_GET
def member_list(request, organization_id):
    organization = _organization(request, organization_id, "members.view")
    members = (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-is_active", "user__last_name", "user__first_name", "user__email")
    )
    return render(
        request,
        "accounts/member_list.html",
        {
            "organization": organization,
            "members": members,
            "can_manage": can(request.user, "members.manage", organization),
        },
    )


@require_http_methods(["GET", "POST"])
def member_add(request, organization_id):
    organization = _organization(request, organization_id)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.add_member(
                organization=organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "%(user)s a été ajouté·e à l'équipe. Un e-mail lui permet de choisir son mot de passe."
                )
                % {"user": membership.user},
            )
            return redirect("accounts:member_list", organization.pk)
    return render(request, "accounts/member_add.html", {"organization": organization, "form": form})


@require_GET
def member_detail(request, organization_id, membership_id):
    organization = _organization(request, organization_id)
    membership = get_membership_for_user(request.user, organization, membership_id)
    object_viewed.send(
        sender=Membership, instance=membership.user, actor=request.user, organization=organization
    )
    is_admin = can(request.user, "members.manage", organization)
    return render(
        request,
        "accounts/member_detail.html",
        {
            "organization": organization,
            "membership": membership,
            "member": membership.user,
            "is_admin": is_admin,
            "role_form": MemberRoleForm(initial={"role": membership.role}),
        },
    )


@require_POST
def member_update(request, organization_id, membership_id):
    organization = _organization(request, organization_id)
    membership = get_membership_for_user(request.user, organization, membership_id)
    action = request.POST.get("action")
    try:
        if action == "deactivate":
            services.deactivate_member(membership=membership, actor=request.user)
            messages.success(
                request,
                _("L'accès de %(user)s à la structure est retiré.") % {"user": membership.user},
            )
        elif action == "reactivate":
            services.reactivate_member(membership=membership, actor=request.user)
            messages.success(
                request, _("L'accès de %(user)s est rétabli.") % {"user": membership.user}
            )
        else:
            form = MemberRoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Rôle inconnu : choisissez un rôle dans la liste."))
            else:
                services.change_member_role(
                    membership=membership, role=form.cleaned_data["role"], actor=request.user
                )
                messages.success(
                    request, _("Rôle de %(user)s enregistré.") % {"user": membership.user}
                )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("accounts:member_detail", organization.pk, membership.pk)
