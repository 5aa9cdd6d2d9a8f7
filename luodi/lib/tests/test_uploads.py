"""Uploaded files are judged by their content: kind, extension, size, macros and zip bombs."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luodi.lib import audit, uploads

# A refused upload is recorded in the audit log, a table.
pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\0\x10JFIF" + b"\0" * 32
MP4_BYTES = b"\0\0\0\x18ftypmp42" + b"\0" * 32
EXE_BYTES = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff" + b"\0" * 64
HTML_BYTES = b"<!doctype html><script>alert(document.cookie)</script>"
OLE2_BYTES = uploads.OLE2_MAGIC + b"\0" * 504 + "Workbook".encode("utf-16-le") + b"\0" * 100

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/{part}" ContentType="{type}"/></Types>'
)


def ooxml(main: str, content_type: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(part=main, type=content_type))
        z.writestr(main, "<document/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


DOCX_BYTES = ooxml(
    "word/document.xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
)
PPTX_BYTES = ooxml(
    "ppt/presentation.xml",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
)
XLSX_BYTES = ooxml(
    "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
)
XLSM_BYTES = ooxml(
    "xl/workbook.xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    {"xl/vbaProject.bin": b"\0" * 64},
)
DOCM_BYTES = ooxml(
    "word/document.xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    {"word/vbaProject.bin": b"\0" * 64},
)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    # The browser's content type is whatever the client says: always a harmless-looking one.
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("讲义.pdf", PDF_BYTES, uploads.PDF),
        ("讲义.PDF", PDF_BYTES, uploads.PDF),
        ("notes.docx", DOCX_BYTES, uploads.DOCX),
        ("slides.pptx", PPTX_BYTES, uploads.PPTX),
        ("table.xlsx", XLSX_BYTES, uploads.XLSX),
        ("old.xls", OLE2_BYTES, uploads.OLE2),
        ("old.doc", OLE2_BYTES, uploads.OLE2),
        ("photo.png", PNG_BYTES, uploads.PNG),
        ("photo.jpeg", JPEG_BYTES, uploads.JPEG),
        ("photo.jpg", JPEG_BYTES, uploads.JPEG),
        ("talk.mp4", MP4_BYTES, uploads.MP4),
    ],
)
def test_it_accepts_the_kinds_courseware_comes_in(name, data, kind):
    assert uploads.check_upload(upload(name, data)) is kind


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("slides.pdf", EXE_BYTES, "kind"),  # a program renamed .pdf
        ("setup.exe", EXE_BYTES, "kind"),
        ("slides.pdf", HTML_BYTES, "kind"),  # a page that would run script if served inline
        ("page.html", HTML_BYTES, "kind"),
        ("slides.docx", PDF_BYTES, "extension"),  # content and name disagree
        ("table.xlsx", OLE2_BYTES, "extension"),  # an .xls renamed .xlsx
        ("table.xlsm", XLSM_BYTES, "macros"),
        ("table.xlsx", XLSM_BYTES, "macros"),  # a macro workbook renamed .xlsx
        ("notes.docm", DOCM_BYTES, "macros"),
        ("notes.docx", DOCM_BYTES, "macros"),
        ("archive.zip", ooxml("other.xml", "text/xml"), "kind"),  # a zip, but not Office
        ("empty.pdf", b"", "empty"),
    ],
)
def test_it_refuses_by_content_with_a_clear_reason(name, data, code):
    with pytest.raises(uploads.Refused) as refused:
        uploads.check_upload(upload(name, data))
    assert refused.value.code == code
    assert name in refused.value.message or code == "macros"


def test_a_renamed_program_gets_a_message_naming_what_is_accepted():
    with pytest.raises(uploads.Refused) as refused:
        uploads.check_upload(upload("课件.pdf", EXE_BYTES))
    message = refused.value.message
    assert "“课件.pdf” is not of a kind Luodi accepts" in message
    assert ".pdf, .docx, .xlsx, .pptx" in message


def test_a_mismatched_name_says_what_the_file_holds():
    with pytest.raises(uploads.Refused) as refused:
        uploads.check_upload(upload("slides.docx", PDF_BYTES))
    assert "holds a PDF file but its name ends in “.docx”" in refused.value.message


def test_macros_in_an_older_office_file_are_refused():
    data = OLE2_BYTES + b"\0" * 7 + uploads.OLE2_VBA + b"_CUR" + b"\0" * 50
    with pytest.raises(uploads.Refused) as refused:
        uploads.check_upload(upload("old.xls", data))
    assert refused.value.code == "macros"
    assert "save the document without macros" in refused.value.message


def test_a_macro_name_split_across_read_chunks_is_still_found():
    data = OLE2_BYTES + b"\0" * ((1 << 20) - len(OLE2_BYTES) - 5) + uploads.OLE2_VBA
    with pytest.raises(uploads.Refused):
        uploads.check_upload(upload("old.doc", data))


def test_a_file_over_the_limit_is_refused_before_its_content_is_read(settings):
    settings.LUODI_UPLOAD_MAX_MB = 1
    uploads.check_upload(upload("ok.pdf", PDF_BYTES + b"\0" * (1024 * 1024 - len(PDF_BYTES))))
    with pytest.raises(uploads.Refused) as refused:
        uploads.check_upload(upload("big.pdf", PDF_BYTES + b"\0" * (1024 * 1024)))
    assert refused.value.code == "too_large"
    assert "“big.pdf” is 1.0 MB; files may be at most 1 MB" in refused.value.message


def test_a_zip_bomb_is_refused_from_its_directory(settings):
    settings.LUODI_UPLOAD_MAX_MB = 1  # unpacked, at most 10 MB
    bomb = ooxml(
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        {"word/media/padding.bin": b"\0" * (11 * 1024 * 1024)},
    )
    assert len(bomb) < 100_000
    with pytest.raises(uploads.Refused) as refused:
        uploads.check_upload(upload("notes.docx", bomb))
    assert refused.value.code == "zip_bomb"


def test_each_refusal_is_audited_with_who_uploaded(users):
    from luodi.accounts.models import Role

    before = len(audit.recent("upload.refused"))
    with pytest.raises(uploads.Refused):
        uploads.check_upload(upload("x.pdf", EXE_BYTES), by=users[Role.STAFF])
    (event,) = audit.recent("upload.refused")[before:]
    assert event["outcome"] == "refused"
    assert event["user_id"] == users[Role.STAFF].pk
    assert event["details"] == {"filename": "x.pdf", "reason": "kind"}


def test_files_are_stored_under_a_random_folder():
    to = uploads.RandomPath("courseware")
    first, second = to(None, "社区 治理.PDF"), to(None, "社区 治理.PDF")
    assert re.fullmatch(r"courseware/[0-9a-f]{32}/社区_治理\.pdf", first)
    assert first != second
    assert re.fullmatch(r"courseware/[0-9a-f]{32}/passwd", to(None, "../../etc/passwd"))
    assert re.fullmatch(r"courseware/[0-9a-f]{32}/pdf", to(None, "...pdf"))
    assert re.fullmatch(r"courseware/[0-9a-f]{32}/file", to(None, "..."))
    assert re.fullmatch(r"courseware/[0-9a-f]{32}/a", to(None, "a.p<>df"))


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF_BYTES, "courseware/2024/a.pdf", ("application/pdf", ".pdf")),
        (OLE2_BYTES, "courseware/2024/a.ppt", ("application/vnd.ms-powerpoint", ".ppt")),
        (DOCX_BYTES, "x/notes", (uploads.DOCX.content_type, ".docx")),
        (HTML_BYTES, "courseware/2024/a.html", ("application/octet-stream", ".html")),
    ],
)
def test_stored_files_are_served_with_the_type_their_content_shows(data, name, expected):
    assert uploads.content_type_of(io.BytesIO(data), name) == expected
