"""One source of truth for who may do what: the actions of the access registry, read by one module.

The guard at the top fails when code outside ``accounts/permissions.py`` and the registry compares
a member's role; the tests below it show that the permissions module answers as the registry says,
for the owner, a read-only colleague, an outsider and an anonymous visitor.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory

import ancrage
from ancrage.access_registry import ACTIONS, REGISTRY
from ancrage.accounts.context_processors import permissions
from ancrage.accounts.enums import Role
from ancrage.accounts.permissions import (
    allowed_actions,
    can,
    get_for_user,
    get_organization_for_user,
    organizations_where,
    require,
)
from ancrage.core.access import Audience
from ancrage.people.models import Person
from tests.people.factories import PersonFactory

SRC = Path(ancrage.__file__).parent

# The modules allowed to look at roles: the registry, the module that reads it, and the access
# layer that applies URL rules. Nothing else.
ALLOWED = {
    "access_registry.py",
    "accounts/permissions.py",
    "accounts/queries.py",  # defines role_in(), the membership lookup permissions.py builds on
    "core/access.py",
}
# Places that look at a role for another reason than deciding what the actor may do; each says why.
EXEMPT = {
    # "The organization keeps at least one administrator": an invariant on the membership being
    # changed, not a check of the actor (who was checked with require(…, "members.manage", …)).
    ("accounts/services.py", "locked.role == Role.ADMIN"),
    ("accounts/services.py", "role != Role.ADMIN"),
    # The demo loader resets the demo accounts' roles to their documented values.
    ("demo/data.py", "membership.role != role"),
    # A party's part in a partner agreement (landlord, employer…): a program role, not an access one.
    ("partnerships/services/agreements.py", "party.role not in ParticipantRole.values"),
}
# Roles of organizations in a program (operator, partner, funder), not of members.
PARTICIPANT_ROLE_SETS = {"SUPPORTING_ROLES"}
ROLE_NAMES = {name for name in dir(Role) if name.isupper()}


def _is_role_expression(node: ast.AST) -> bool:
    """``x.role``, ``role``, ``Role.ADMIN``, ``role_in(...)``, a *_ROLES set, or a collection of those."""
    match node:
        case ast.Attribute(attr="role") | ast.Name(id="role"):
            return True
        case ast.Attribute(value=ast.Name(id="Role"), attr=attr) if attr in ROLE_NAMES:
            return True
        case ast.Name(id=name) if name.endswith("_ROLES") and name not in PARTICIPANT_ROLE_SETS:
            return True
        case ast.Call(func=ast.Name(id="role_in")):
            return True
        case ast.Set(elts=elts) | ast.Tuple(elts=elts) | ast.List(elts=elts):
            return any(_is_role_expression(e) for e in elts)
    return False


def role_checks_in(source: str) -> list[str]:
    """The role comparisons and role lookups of a Python source, as their source text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_role_expression(o) for o in operands):
                found.append(ast.get_source_segment(source, node))
        elif isinstance(node, ast.Call) and _is_role_expression(node):
            found.append(ast.get_source_segment(source, node))
        elif (
            isinstance(node, ast.keyword)
            and (node.arg or "").endswith("role__in")
            and _is_role_expression(node.value)
        ):
            found.append(f"{node.arg}={ast.get_source_segment(source, node.value)}")
    return found


TEMPLATE_ROLE_CHECK = re.compile(r"{%[^%]*\b(role\s*(==|!=|in\b|not in\b)|\w+_ROLES)[^%]*%}")


def test_no_module_checks_a_role_outside_the_permissions_module():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative in ALLOWED or "/migrations/" in relative:
            continue
        for check in role_checks_in(path.read_text()):
            if (relative, check) not in EXEMPT:
                offenders.append(f"{relative}: {check}")
    assert offenders == [], "Use ancrage.accounts.permissions (can/require) instead:\n" + "\n".join(
        offenders
    )


def test_no_template_checks_a_role():
    offenders = [
        f"{path.relative_to(SRC)}: {match.group(0)}"
        for path in sorted(SRC.rglob("*.html"))
        for match in TEMPLATE_ROLE_CHECK.finditer(path.read_text())
    ]
    assert offenders == [], 'Use {% if "action" in current_can %} or has_perm:\n' + "\n".join(
        offenders
    )


@pytest.mark.parametrize(
    "snippet",
    [
        "def _check_can_write(actor, org):\n    if role_in(actor, org) not in WRITE_ROLES:\n        raise X",
        "if membership.role == Role.ADMIN:\n    pass",
        'if role in {"admin", "coordinator"}:\n    pass',
        "qs.filter(memberships__role__in=TEAM_ROLES)",
        "can_merge = request.membership.role in MERGE_ROLES",
    ],
)
def test_the_guard_catches_a_hand_written_role_check(snippet):
    assert role_checks_in(snippet) != []


def test_the_guard_lets_permission_calls_and_participant_roles_through():
    source = (
        'require(actor, "people.change", person)\n'
        'flag = can(user, "housing.manage", residence)\n'
        'qs.filter(memberships__role__in=action_roles("support.record"))\n'
        "qs.filter(participants__role__in=SUPPORTING_ROLES)\n"
        "Q(role__in=Role.values)\n"
    )
    assert role_checks_in(source) == []


def test_the_template_guard_catches_a_role_in_a_template():
    assert TEMPLATE_ROLE_CHECK.search("{% if current_membership.role in WRITE_ROLES %}")
    assert TEMPLATE_ROLE_CHECK.search('{% elif membership.role == "admin" %}')
    assert not TEMPLATE_ROLE_CHECK.search('{% if "people.change" in current_can %}')


def _actions_named_in_code() -> set[str]:
    pattern = re.compile(
        r"""(?:require|can|action_roles|organizations_where|may)\([^)]*?["']([a-z_]+\.[a-z_]+)["']"""
        r"""|action=["']([a-z_]+\.[a-z_]+)["']"""
        r"""|["']([a-z_]+\.[a-z_]+)["'] in (?:current_can|allowed)"""
        r"""|has_perm ["']([a-z_]+\.[a-z_]+)["']""",
        re.DOTALL,
    )
    named = set()
    for path in SRC.rglob("*"):
        if path.suffix in {".py", ".html"} and "/migrations/" not in path.as_posix():
            for match in pattern.finditer(path.read_text()):
                named.add(next(group for group in match.groups() if group))
    return named


def test_every_action_named_in_the_code_exists_and_every_action_is_used():
    named = _actions_named_in_code()
    assert sorted(named - ACTIONS.keys()) == []
    assert sorted(ACTIONS.keys() - named) == []


def test_url_rules_take_their_roles_from_the_actions():
    role_sets = {entry.roles for entry in ACTIONS.values()}
    for name, rule in REGISTRY.items():
        if rule.audience == Audience.MEMBERS:
            assert rule.roles in role_sets, name


# --- The permissions module answers as the registry says --------------------------------------


def test_can_follows_the_roles_of_each_action(world):
    for name, entry in ACTIONS.items():
        assert can(world.owner, name, world.org) is (Role.ADMIN in entry.roles), name
        assert can(world.colleague, name, world.org) is (Role.READ_ONLY in entry.roles), name
        assert can(world.outsider, name, world.org) is False, name
        assert can(AnonymousUser(), name, world.org) is False, name


def test_can_reads_the_organization_of_an_object_or_an_id(world):
    person = PersonFactory(organization=world.org)
    assert can(world.owner, "people.change", person)
    assert can(world.owner, "people.change", world.org.pk)
    assert not can(world.outsider, "people.change", person)
    assert not can(world.owner, "people.change", None)


def test_an_unknown_action_is_a_bug_not_a_refusal(world):
    with pytest.raises(KeyError):
        can(world.owner, "people.chnage", world.org)


def test_require_refuses_with_the_actions_french_message(world):
    require(world.owner, "people.merge", world.org)
    with pytest.raises(PermissionDenied, match="Seule la coordination ou l'administration"):
        require(world.colleague, "people.merge", world.org)
    with pytest.raises(
        PermissionDenied, match="Votre rôle ne permet pas de modifier les personnes"
    ):
        require(world.outsider, "people.change", world.org)


def test_allowed_actions_and_organizations_where(world):
    assert "members.manage" in allowed_actions(world.owner, world.org)
    assert allowed_actions(world.colleague, world.org) == {
        name for name, entry in ACTIONS.items() if Role.READ_ONLY in entry.roles
    }
    assert allowed_actions(world.outsider, world.org) == frozenset()
    assert organizations_where(world.owner, "people.change") == [world.org.pk]
    assert organizations_where(world.colleague, "people.change") == []
    assert organizations_where(AnonymousUser(), "team.read") == []


def test_get_for_user_answers_404_to_outsiders_and_403_to_a_role_that_may_not(world):
    person = PersonFactory(organization=world.org)

    def fetch(user, pk, action=None):
        return get_for_user(Person.objects.visible_to(user), pk, user, action=action)

    assert fetch(world.owner, person.pk, "people.change") == person
    assert fetch(world.colleague, person.pk) == person
    with pytest.raises(PermissionDenied):
        fetch(world.colleague, person.pk, "people.change")
    for user, pk in [
        (world.outsider, person.pk),
        (AnonymousUser(), person.pk),
        (world.owner, "abc"),
        (world.owner, 10**30),
        (world.owner, person.pk + 1000),
    ]:
        with pytest.raises(Http404):
            fetch(user, pk)


def test_get_organization_for_user(world):
    assert (
        get_organization_for_user(world.owner, world.org.pk, action="members.manage") == world.org
    )
    with pytest.raises(PermissionDenied):
        get_organization_for_user(world.colleague, world.org.pk, action="members.manage")
    with pytest.raises(Http404):
        get_organization_for_user(world.outsider, world.org.pk, action="organization.view")


def test_templates_read_the_same_answer(world, rf: RequestFactory):
    template = Template(
        "{% load rules %}{% has_perm 'people.merge' user org as merge %}"
        "{% if 'people.change' in current_can %}write{% endif %}/{{ merge }}"
    )
    for user, expected in [(world.owner, "write/True"), (world.colleague, "/False")]:
        request = rf.get("/")
        request.user = user
        request.membership = next(m for m in user.memberships.all())
        context = Context({"user": user, "org": world.org, **permissions(request)})
        assert template.render(context) == expected
