"""The tripartite charter as PDF: the document drawn once when the charter is prepared (its
SHA-256 is what every party signs), and the signed PDF — those same pages, byte for byte, then a
signature page naming each party, when they signed, from which address, and the hash."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from ancrage.core import pdf

if TYPE_CHECKING:
    from ancrage.partnerships.models import Apprenticeship, Charter, CharterTemplate, Signatory

PARIS = ZoneInfo("Europe/Paris")
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
FIELDS = ("apprenti", "ecole", "employeur", "diplome", "debut", "fin", "structure", "dispositif")


def unknown_placeholders(body: str) -> list[str]:
    """The ``{…}`` of a template's text that no field fills (a typo the author must fix)."""
    return sorted({name for name in PLACEHOLDER.findall(body) if name not in FIELDS})


def values_of(apprenticeship: Apprenticeship, template: CharterTemplate) -> dict[str, str]:
    a = apprenticeship
    return {
        "apprenti": str(a.person),
        "ecole": a.school.name,
        "employeur": a.employer.name,
        "diplome": a.diploma,
        "debut": f"{a.starts_on:%d/%m/%Y}",
        "fin": f"{a.ends_on:%d/%m/%Y}",
        "structure": a.organization.name,
        "dispositif": template.program.name,
    }


def blocks(body: str, values: dict[str, str]) -> list[tuple[str, str]]:
    """The text as (``"heading"`` or ``"paragraph"``, filled text): a line starting with « ## »
    titles an article; lines in between make one paragraph."""
    out: list[tuple[str, str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(("paragraph", " ".join(paragraph)))
            paragraph.clear()

    for raw in body.splitlines():
        line = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), raw.strip())
        if line.startswith("##"):
            flush()
            out.append(("heading", line.lstrip("#").strip()))
        elif line:
            paragraph.append(line)
        else:
            flush()
    flush()
    return out


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf.REGULAR),
                ("FONTNAME", (0, 0), (-1, 0), pdf.BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, "black"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, "#999999"),
            ]
        )
    )
    return table


def document_pdf(
    *, reference: str, apprenticeship: Apprenticeship, template: CharterTemplate, parties
) -> bytes:
    """The charter to sign. ``parties``: (role label, name, organization or "") of each party."""
    styles = pdf.styles()
    body, heading, e = styles["BodyText"], styles["Heading3"], pdf.escape
    values = values_of(apprenticeship, template)
    story: list = [
        Paragraph(e(template.title), styles["Title"]),
        Paragraph(
            _("Charte n° %(reference)s — dispositif « %(program)s » — modèle version %(version)d")
            % {
                "reference": e(reference),
                "program": e(template.program.name),
                "version": template.version,
            },
            body,
        ),
        Spacer(1, 3 * mm),
        _table(
            [[_("Partie"), _("Nom"), _("Structure")]]
            + [
                [role, Paragraph(e(name), body), Paragraph(e(org), body)]
                for role, name, org in parties
            ],
            [45 * mm, 60 * mm, 65 * mm],
        ),
        Spacer(1, 3 * mm),
        Paragraph(
            _("Contrat d'apprentissage : %(diploma)s, du %(start)s au %(end)s.")
            % {"diploma": e(values["diplome"]), "start": values["debut"], "end": values["fin"]},
            body,
        ),
    ]
    for kind, text in blocks(template.body, values):
        story.append(Paragraph(e(text), heading if kind == "heading" else body))
    return pdf.build(template.title, story)


def _when(signatory: Signatory) -> str:
    if signatory.signed_at is None:
        return ""
    return f"{signatory.signed_at.astimezone(PARIS):%d/%m/%Y à %H:%M:%S} (heure de Paris)"


def signature_page(charter: Charter, signatories: Iterable[Signatory]) -> bytes:
    styles = pdf.styles()
    body, e = styles["BodyText"], pdf.escape
    rows: list[list] = [[_("Partie"), _("Nom"), _("Signé le"), _("Adresse IP"), _("Code")]]
    for s in signatories:
        rows.append(
            [
                Paragraph(e(s.get_role_display()), body),
                Paragraph(e(s.name), body),
                Paragraph(_when(s), body),
                Paragraph(e(s.ip or ""), body),
                Paragraph(_("vérifié") if s.signed_at else "", body),
            ]
        )
    story = [
        Paragraph(_("Page de signatures"), styles["Title"]),
        Paragraph(_("Charte n° %(reference)s") % {"reference": e(charter.reference)}, body),
        Spacer(1, 3 * mm),
        _table(rows, [32 * mm, 42 * mm, 46 * mm, 30 * mm, 20 * mm]),
        Spacer(1, 4 * mm),
        Paragraph(
            _(
                "Chaque partie a signé électroniquement (signature électronique simple) : elle a "
                "ouvert un lien personnel envoyé à son adresse e-mail, puis saisi le code à usage "
                "unique reçu à cette même adresse. Chaque signature porte sur le document dont "
                "l'empreinte SHA-256 est :"
            ),
            body,
        ),
        Paragraph(f"<font name='{pdf.BOLD}'>{charter.document_sha256}</font>", body),
        Spacer(1, 3 * mm),
        Paragraph(
            _(
                "Pour vérifier qu'un exemplaire est bien ce document signé, déposez-le sur la "
                "page « Vérifier une charte » d'Ancrage : elle compare son empreinte à celle "
                "enregistrée à la dernière signature."
            ),
            body,
        ),
    ]
    return pdf.build(_("Page de signatures"), story)


def signed_pdf(document: bytes, signatures: bytes) -> bytes:
    """The signed pages unchanged, then the signature page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for source in (document, signatures):
        writer.append(PdfReader(io.BytesIO(source)))
    writer.add_metadata({"/Title": _("Charte signée"), "/Author": "Ancrage"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
