import factory
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from ancrage.accounts.enums import OrganizationKind, Role
from ancrage.accounts.models import Membership, Organization, User
from ancrage.demo.data import demo_siret


def activate_mfa(user, create, extracted, **kwargs):
    """TOTP (with the given secret, or a new one) and recovery codes, as after the setup pages."""
    TOTP.activate(user, extracted or generate_totp_secret())
    RecoveryCodes.activate(user)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    # Users' names show in every page's menu (and label it): random first names ("Louis", "Jules")
    # would match what tests look for. Supported people keep realistic random names.
    first_name = factory.Sequence(lambda n: f"Utilisatrice{n}")
    last_name = "Testeur"
    password = factory.django.Password("un-mot-de-passe-solide")

    class Params:
        with_mfa = factory.Trait(mfa_secret=factory.PostGeneration(activate_mfa))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrganizationKind.CLLAJ
    name = factory.Sequence(lambda n: f"Structure {n}")
    siret = factory.Sequence(lambda n: demo_siret(5000 + n))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, with_mfa=True)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.COUNSELLOR
