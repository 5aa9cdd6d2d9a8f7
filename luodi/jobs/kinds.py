"""The kinds of document job, registered by the apps that know how to build them.

The jobs app sits low in the layers (lib, accounts): it runs and serves jobs without knowing
what a class or a certificate is. An app that owns a document registers a ``JobKind`` from
its ``AppConfig.ready``; the worker process loads every app, so every kind is known there.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

Progress = Callable[[int, int], None]


class JobError(Exception):
    """A failure the user can understand and act on (nothing to print, class deleted).

    Its message is shown on the page as it is; any other exception shows a general message
    and keeps its traceback in the task's result for the administrator."""


@dataclass(frozen=True)
class Document:
    """What a job produced: bytes or an open file, and how the download is named."""

    content: bytes | IO[bytes]
    filename: str
    content_type: str


@dataclass(frozen=True)
class JobKind:
    name: str  # "certificates.class-zip"
    label: Any  # a lazy translation: "Certificates, one PDF each (zip)"
    # Builds the document from the job's subject and parameters, reporting progress.
    build: Callable[[Any, Progress], Document]
    # Whether ``user`` may still see the job's subject: checked again at every download.
    may_use: Callable[[Any, Any], bool]


_kinds: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No document job of kind {name!r} is registered.") from None
