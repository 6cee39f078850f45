from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "ancrage.funding"
    verbose_name = "Financements"

    def ready(self):
        from ancrage.funding.queries import grants_in_partner_agreements
        from ancrage.partnerships import grants

        # An agreement between partners shows the grants tied to it, read from here.
        grants.register("funding", grants_in_partner_agreements)
