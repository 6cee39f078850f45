from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "ancrage.partnerships"
    verbose_name = "Partenariats"

    def ready(self):
        from ancrage.activities import rules
        from ancrage.core import person_facts
        from ancrage.core.home import register
        from ancrage.partnerships import home
        from ancrage.partnerships.queries import apprenticeship_facts
        from ancrage.partnerships.services import pathways

        register(name="decisions", template="partnerships/_home.html", order=15, build=home.build)
        # The allocation proposal and the booking page show an apprentice's contract.
        person_facts.register("apprenticeship", apprenticeship_facts)
        # The citizen pathway's weeks of presence, and its partners noting attendance (ADR 0020).
        rules.add_registration_check("pathway", pathways.check_registration)
        rules.add_attendance_grant("pathway", pathways.attendance_granted)
