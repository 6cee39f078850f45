"""Writes of the outreach app, one module per part: the lists and the landlords' files
(``lists``), targeting (``targeting``), and reaching people (``contact``)."""

from ancrage.outreach.services.contact import (
    convert_prospect,
    create_campaign,
    record_attempt,
    record_consent,
    record_letters,
)
from ancrage.outreach.services.lists import (
    confirm_import,
    create_list,
    forget_prospects,
    progress_of,
    run_import,
    save_mapping,
    submit_import,
)
from ancrage.outreach.services.targeting import (
    add_assignment,
    apply_assignments,
    delete_rule,
    delete_segment,
    remove_assignment,
    rescore,
    save_rule,
    save_segment,
)

__all__ = [
    "add_assignment",
    "apply_assignments",
    "confirm_import",
    "convert_prospect",
    "create_campaign",
    "create_list",
    "delete_rule",
    "delete_segment",
    "forget_prospects",
    "progress_of",
    "record_attempt",
    "record_consent",
    "record_letters",
    "remove_assignment",
    "rescore",
    "run_import",
    "save_mapping",
    "save_rule",
    "save_segment",
    "submit_import",
]
