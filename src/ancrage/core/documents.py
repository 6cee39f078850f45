"""Where uploaded documents live (a person's file, an application to a call, a signed agreement)
and what may be stored there.

Files are kept under ``ANCRAGE_DOCUMENTS_DIR`` (outside the static and media roots: no web server
serves them), named by a random token, never by the name the user gave; only the download view
hands one out, after the access check. What a file is comes from its first bytes, not from its
name or the browser's word: a PDF, a PNG or a JPEG, 10 MB at most."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import IO

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

# The first bytes of each accepted format, and the extension it is stored and served with.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
EXTENSIONS = {content_type: extension for _, content_type, extension in SIGNATURES}


@cache
def storage() -> FileSystemStorage:
    # No base_url: a document has no public address.
    return FileSystemStorage(
        location=settings.ANCRAGE_DOCUMENTS_DIR,
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def max_bytes() -> int:
    return int(settings.ANCRAGE_DOCUMENT_MAX_BYTES)


def sniff(head: bytes) -> str | None:
    """The content type the first bytes announce, or None for anything else."""
    for signature, content_type, _extension in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check(upload: IO[bytes] | None) -> tuple[str, int, str]:
    """(content type, size, SHA-256) of an upload, or a ``ValueError`` with the French reason."""
    if upload is None:
        raise ValueError(_("Choisissez un fichier."))
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise ValueError(_("Le fichier est vide."))
    if size > max_bytes():
        raise ValueError(
            _("Fichier trop volumineux : %(max)d Mo au plus.") % {"max": max_bytes() // 2**20}
        )
    upload.seek(0)
    content_type = sniff(upload.read(16))
    if content_type is None:
        raise ValueError(_("Format refusé : seuls les PDF, PNG et JPEG sont acceptés."))
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(1 << 16), b""):
        digest.update(chunk)
    upload.seek(0)
    return content_type, size, digest.hexdigest()


def stored_name(organization_id: int, content_type: str) -> str:
    """A random name under the organization's folder (the user's file name is never used)."""
    return f"{organization_id}/{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"


@contextmanager
def stored(
    organization_id: int, upload: IO[bytes], content_type: str, *, replaces: str = ""
) -> Iterator[str]:
    """Keep ``upload`` (already ``check``-ed) under the organization's folder and give its name to
    the writes of the block: if they fail, the file goes with them (no file without its row);
    once they commit, the file it ``replaces`` goes."""
    name = storage().save(stored_name(organization_id, content_type), upload)
    try:
        yield name
    except BaseException:
        storage().delete(name)
        raise
    if replaces:
        transaction.on_commit(lambda: storage().delete(replaces))


def download_name(document) -> str:
    """The name the browser saves the file under: the type and date, no personal data."""
    kind = document.get_kind_display().split(" ou ")[0].lower().replace(" ", "-")
    return f"{kind}-{document.created_at:%Y-%m-%d}.{EXTENSIONS.get(document.content_type, 'bin')}"


def download(document, filename: str | None = None) -> HttpResponse:
    """A stored document (``file`` and ``content_type``) as an attachment."""
    return send_file(document.file.name, document.content_type, filename or download_name(document))


def send_file(name: str, content_type: str, filename: str) -> HttpResponse:
    """The file as an attachment (never shown inline, never cached, never sniffed), or a 404 when
    it is missing from the disk. At most 10 MB: read whole, no file handle left open."""
    try:
        with storage().open(name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
