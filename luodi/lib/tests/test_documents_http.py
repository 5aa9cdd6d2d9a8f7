"""lib.documents.http: private downloads named in Chinese with an ASCII fallback."""

import io
from urllib.parse import quote

from luodi.lib.documents.http import attachment, content_disposition, file_attachment


def test_a_download_is_named_twice_and_kept_out_of_caches():
    response = attachment(b"%PDF", filename="课程表.pdf", fallback="t.pdf", content_type="x/y")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"t.pdf\"; filename*=UTF-8''" + quote("课程表.pdf")
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "x/y"
    assert response.content == b"%PDF"


def test_a_file_is_streamed():
    f = io.BytesIO(b"PK zip")
    response = file_attachment(f, filename="证书.zip", fallback="c.zip", content_type="a/zip")
    assert b"".join(response.streaming_content) == b"PK zip"
    assert response["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''" + quote("证书.zip") in response["Content-Disposition"]


def test_quotes_and_slashes_in_names_are_escaped():
    assert "%2F" in content_disposition("a/b.pdf", "x.pdf")
