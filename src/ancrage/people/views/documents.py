"""Documents on a person's file: deposit, download (after the access check, audited), removal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ancrage.core import documents
from ancrage.core.signals import object_viewed
from ancrage.people import services
from ancrage.people.forms import DocumentForm
from ancrage.people.models import PersonDocument
from ancrage.people.queries import get_person_for_user
from ancrage.people.views.persons import render_person


@require_POST
def document_add(request, person_id):
    person = get_person_for_user(request.user, person_id, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.add_document(
                person=person,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Document ajouté : %(document)s.") % {"document": document})
            return redirect("people:person_detail", person.pk)
    return render_person(request, person, document_form=form, status=400)


def _document(request, person_id, document_id, *, write=False) -> PersonDocument:
    person = get_person_for_user(request.user, person_id, write=write)
    return get_object_or_404(
        PersonDocument.objects.select_related("person", "organization"),
        pk=document_id,
        person=person,
    )


@require_GET
def document_download(request, person_id, document_id):
    """The file itself, to the team only; the read is in the trail like the file's page."""
    document = _document(request, person_id, document_id)
    response = documents.download(document)
    object_viewed.send(
        sender=PersonDocument,
        instance=document,
        actor=request.user,
        organization=document.organization,
    )
    return response


@require_POST
def document_delete(request, person_id, document_id):
    document = _document(request, person_id, document_id, write=True)
    services.delete_document(document=document, actor=request.user)
    messages.success(request, _("Document supprimé : %(document)s.") % {"document": document})
    return redirect("people:person_detail", document.person_id)
