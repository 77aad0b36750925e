"""The one check for files that people upload: the public submission form and the coordinators'
document uploads alike. An allow-list of extensions, a size limit, and the content sniffed against
the extension, so HTML saved as .pdf or a renamed executable is refused."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

OLE = b"\xd0\xcf\x11\xe0"  # the container of the old Office formats
MAX_FILE_SIZE = 10 * 1024 * 1024
# Extension -> how the first bytes must look, so a renamed executable is not accepted.
ALLOWED_FILES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".doc": (OLE,),
    ".xls": (OLE,),
    ".ppt": (OLE,),
    ".txt": None,
    ".csv": None,
}


def check_upload(upload) -> None:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED_FILES:
        raise ValidationError(
            _("%(name)s: this file type is not accepted. Use PDF, Word, Excel, PowerPoint, "
              "OpenDocument, text or CSV."),
            params={"name": upload.name},
        )  # fmt: skip
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(_("%(name)s is larger than 10 MB."), params={"name": upload.name})
    head = upload.read(8)
    upload.seek(0)
    signatures = ALLOWED_FILES[suffix]
    if signatures is None:
        chunk = upload.read(4096)
        upload.seek(0)
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError:
            try:
                chunk[:-4].decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError(
                    _("%(name)s is not a text file."), params={"name": upload.name}
                ) from None
    elif not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("%(name)s does not look like a %(type)s file."),
            params={"name": upload.name, "type": suffix[1:].upper()},
        )
