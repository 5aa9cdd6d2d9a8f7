"""The message gateway: short texts (one-time codes, notices) sent to a person's mobile phone.

Everything that sends a text calls ``send_text``; which backend delivers it is a setting,
``LUODI_MESSAGE_BACKEND`` (a dotted path to a ``Backend`` subclass):

- ``luodi.lib.messaging.FileBackend`` (the default): appends one JSON line per message to
  ``LUODI_MESSAGE_FILE`` (``var/outbox.jsonl``) and logs a line with the number masked. Nothing
  leaves the machine: on a demo or a test the code is read from the file (or the console).
- ``luodi.lib.messaging.MemoryBackend``: keeps messages in ``MemoryBackend.outbox`` (tests).
- An SMS provider (Aliyun, Tencent Cloud SMS...): subclass ``Backend`` in the college's own
  module, implement ``deliver`` with the provider's SDK, and point the setting at it. Providers
  send only texts from approved templates: ``kind`` names the template (``login_code``,
  ``notice``) and ``params`` carries its variables, ``text`` is the rendered whole.

``deliver`` may raise ``DeliveryError``; callers decide whether that fails their work (a login
code) or is only logged (a notice, which is also in the person's in-app list).
"""

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from luodi.lib.personal import mask_phone

logger = logging.getLogger("luodi.messaging")


class DeliveryError(Exception):
    """The gateway could not take the message (provider down, number refused)."""


@dataclass(frozen=True)
class Message:
    to: str  # a mobile number, digits only
    text: str
    kind: str  # the template: "login_code", "notice"
    params: dict = field(default_factory=dict)
    sent_at: datetime = field(default_factory=timezone.now)


class Backend:
    def deliver(self, message: Message) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class MemoryBackend(Backend):
    outbox: ClassVar[list[Message]] = []

    def deliver(self, message: Message) -> None:
        MemoryBackend.outbox.append(message)


class FileBackend(Backend):
    def deliver(self, message: Message) -> None:
        path = settings.LUODI_MESSAGE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({**asdict(message), "sent_at": message.sent_at.isoformat()})
        with path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        logger.warning("Text to %s (%s): %s", mask_phone(message.to), message.kind, message.text)


def backend() -> Backend:
    return import_string(settings.LUODI_MESSAGE_BACKEND)()


def send_text(*, to: str, text: str, kind: str, params: dict | None = None) -> Message:
    """Send ``text`` to the mobile number ``to`` through the configured backend."""
    digits = "".join(ch for ch in str(to) if ch.isdigit())
    if not digits:
        raise DeliveryError("No mobile number to send to.")
    message = Message(to=digits, text=text, kind=kind, params=dict(params or {}))
    backend().deliver(message)
    return message


def read_file_outbox() -> list[dict]:
    """The messages the file backend wrote, oldest first (demos and browser tests read codes
    from here)."""
    path = settings.LUODI_MESSAGE_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
