"""A campaign's letters for a mail merge: one page per target still to contact, addressed to them
at the address of the landlord's file, with the campaign's text (« {prenom} », « {nom} »
replaced), printed in DejaVu Sans so that every name prints."""

from __future__ import annotations

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer

from ancrage.core import pdf
from ancrage.outreach.models import Campaign, Prospect

DEFAULT_TEXT = (
    "Bonjour {prenom} {nom},\n\n"
    "Votre bailleur et le dispositif {dispositif} proposent aux locataires qui le souhaitent un "
    "accompagnement gratuit : adaptation du logement, maintien à domicile, retour à l'emploi. "
    "Une personne de {structure} vous appellera dans les prochaines semaines ; vous pouvez aussi "
    "nous contacter.\n\nVous pouvez refuser ce contact à tout moment : il suffit de nous le dire, "
    "nous ne vous contacterons plus."
)


def letters_pdf(campaign: Campaign, recipients: list[Prospect]) -> bytes:
    styles = pdf.styles()
    body = styles["BodyText"]
    e = pdf.escape
    outreach_list = campaign.outreach_list
    today = timezone.localdate()
    template = campaign.letter or DEFAULT_TEXT
    story: list = []
    for index, prospect in enumerate(recipients):
        if index:
            story.append(PageBreak())
        text = (
            template.replace("{prenom}", prospect.first_name)
            .replace("{nom}", prospect.last_name)
            .replace("{dispositif}", outreach_list.program.name)
            .replace("{structure}", outreach_list.organization.name)
        )
        commune = prospect.commune
        story += [
            Paragraph(e(outreach_list.organization.name), styles["Heading3"]),
            Spacer(1, 20 * mm),
            Paragraph(e(f"{prospect.first_name} {prospect.last_name}".strip()), body),
            Paragraph(e(prospect.address), body),
            Paragraph(
                e(
                    f"{commune.postal_codes.split(' ')[0] if commune and commune.postal_codes else ''} "
                    f"{commune.name if commune else ''}".strip()
                ),
                body,
            ),
            Spacer(1, 12 * mm),
            Paragraph(f"Le {today:%d/%m/%Y}", body),
            Spacer(1, 8 * mm),
        ]
        for paragraph in text.split("\n\n"):
            story.append(Paragraph(e(paragraph).replace("\n", "<br/>"), body))
            story.append(Spacer(1, 3 * mm))
    if not story:
        story.append(Paragraph("Aucune personne à contacter dans cette campagne.", body))
    return pdf.build(f"Courriers — {campaign.name}", story)
