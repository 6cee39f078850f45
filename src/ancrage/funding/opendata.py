"""The grants of a funder in the SCDL « subventions » open-data format (schema 2.1.1 published by
OpenDataFrance on schema.data.gouv.fr): one line per agreement, the columns in the schema's
order, UTF-8, comma-separated, decimal point."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ancrage.funding.models import Agreement

SCHEMA_VERSION = "2.1.1"
COLUMNS = (
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
)


def _siret(organization) -> str:
    return "".join(ch for ch in (getattr(organization, "siret", "") or "") if ch.isdigit())


def grant_row(agreement: Agreement) -> dict[str, str]:
    total = sum(a.amount_cents for a in agreement.amounts.all())
    subject = " ".join(agreement.subject.split())
    return {
        "nomAttribuant": agreement.funder.name,
        "idAttribuant": _siret(agreement.funder),
        "dateConvention": (agreement.signed_on or agreement.starts_on).isoformat(),
        "referenceDecision": agreement.reference,
        "nomBeneficiaire": agreement.beneficiary.name,
        "idBeneficiaire": _siret(agreement.beneficiary),
        "rnaBeneficiaire": "",
        "objet": subject if len(subject) < 256 else subject[:254] + "…",
        "montant": f"{total // 100}.{total % 100:02d}",
        "nature": "aide en numéraire",
        "conditionsVersement": "échelonné",
        "datesPeriodeVersement": f"{agreement.starts_on.isoformat()}/{agreement.ends_on.isoformat()}",
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1.00",
        "dispositifAide": "",
    }


def grants_csv(agreements: Iterable[Agreement]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for agreement in agreements:
        writer.writerow(grant_row(agreement))
    return buffer.getvalue().encode("utf-8")
