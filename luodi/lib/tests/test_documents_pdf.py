"""lib.documents.pdf: HTML to PDF that loads nothing from outside."""

import subprocess

import pytest

from luodi.lib.documents import pdf

HTML = '<html lang="zh-CN"><body style="font-family: \'Noto Sans CJK SC\'">{}</body></html>'


def test_it_prints_chinese():
    content = pdf.pdf_bytes(HTML.format("结业证书 张三"))
    assert content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "结业证书" in text
    assert "张三" in text


def test_it_fetches_no_file_and_no_url():
    fetcher = pdf.html_document(HTML.format("")).url_fetcher
    for url in ("file:///etc/hostname", "http://127.0.0.1:9/x.png", "https://example.org/a"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    # a document pointing at them still prints, without them
    html = HTML.format('<img src="file:///etc/hostname"><img src="http://127.0.0.1:9/x.png">文字')
    assert pdf.pdf_bytes(html).startswith(b"%PDF")


def test_images_are_inlined_as_data_uris():
    uri = pdf.data_uri(b"\x89PNG", filename="seal.png")
    assert uri == "data:image/png;base64,iVBORw=="
