from django import forms
from django.utils.translation import gettext_lazy as _

from ancrage.core.tabular import MAX_BYTES
from ancrage.imports.columns import COLUMNS
from ancrage.imports.enums import Mode, SheetKind


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "Classeur Excel (.xlsx) avec une feuille par contenu, ou fichier CSV ; 10 Mo au plus."
        ),
        error_messages={"required": _("Choisissez le fichier à importer.")},
    )
    kind = forms.ChoiceField(
        label=_("Contenu d'un fichier CSV"),
        choices=[("", _("— un classeur : le nom de chaque feuille le dit —")), *SheetKind.choices],
        required=False,
    )
    mode = forms.ChoiceField(
        label=_("Si des lignes sont refusées"),
        choices=Mode.choices,
        initial=Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        label=_("Vérifier seulement (rien n'est écrit ; vous pourrez importer ensuite)"),
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse 10 Mo : découpez-le (par exemple une feuille ou une année).")
            )
        return upload


class ConfirmForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices)


class MappingForm(forms.Form):
    """One box per column of the kind: the header the organization's files use for it."""

    def __init__(self, *args, kind: str, initial_columns: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for column in COLUMNS[kind]:
            self.fields[column.key] = forms.CharField(
                label=f"{column.key} — {column.label}",
                required=False,
                max_length=100,
                initial=initial_columns.get(column.key, ""),
                help_text=_("Obligatoire dans le fichier.") if column.required else "",
            )
