"""Files as a desk would send them: a workbook with one sheet per kind, or a CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

PERSONS = [
    ["ref", "nom", "prenom", "date_naissance", "commune", "situation"],
    ["P1", "Durand", "Élodie", "12/03/2003", "62498", "Étudiant·e"],
    ["P2", "Nguyen", "Yanis", "2001-07-30", "", "apprentice"],
    ["P3", "Petit", "Inès", "05/11/2004", "", ""],
]
CONTACTS = [
    ["ref", "date", "canal", "sujets", "resultat", "personne", "tranche_age"],
    ["C1", "06/01/2025 09:30", "Téléphone", "Logement", "Information", "", "18–20 ans"],
    ["C2", "2025-01-07", "email", "housing, Solvabilisation", "information", "", "21_25"],
    [
        "C3",
        "08/01/2025 14:00",
        "Accueil physique au siège",
        "logement",
        "Rendez-vous fixé",
        "P1",
        "",
    ],
    ["C4", "09/02/2025 10:00", "walk_in", "logement", "information", "P2", ""],
]
ENROLLMENTS = [
    ["ref", "personne", "demande_le", "diagnostic_le", "debut_le"],
    ["E1", "P1", "08/01/2025", "15/01/2025", "01/02/2025"],
    ["E2", "P2", "09/02/2025", "", ""],
]
EXITS = [
    ["accompagnement", "date", "situation", "pret_logement"],
    ["E1", "30/06/2025", "Logement autonome — parc social", "oui"],
]
ACTIVITIES = [
    ["ref", "type", "titre"],
    ["A1", "Atelier recherche logement", "Trouver un logement"],
]
SESSIONS = [
    ["ref", "action", "debut", "lieu", "non_nommes"],
    ["S1", "A1", "11/03/2025 14:00", "Siège", "3"],
]
ATTENDANCE = [
    ["seance", "personne"],
    ["S1", "P1"],
    ["S1", "P3"],
]
YEAR = {
    "Personnes": PERSONS,
    "Contacts": CONTACTS,
    "Accompagnements": ENROLLMENTS,
    "Sorties": EXITS,
    "Actions": ACTIVITIES,
    "Séances": SESSIONS,
    "Présences": ATTENDANCE,
}


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)
