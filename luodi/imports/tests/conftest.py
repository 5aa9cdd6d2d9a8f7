from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

FILES = Path(__file__).parent / "files"


@pytest.fixture
def upload():
    """A committed test file as a browser would upload it."""

    def make(name: str, content: bytes | None = None) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, (FILES / name).read_bytes() if content is None else content)

    return make
