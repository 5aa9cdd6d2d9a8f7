import json

import pytest

from luodi.lib import messaging


def test_the_memory_backend_keeps_what_was_sent(outbox):
    message = messaging.send_text(to="138-0000 1234", text="验证码 123456", kind="login_code")
    assert message.to == "13800001234"
    assert outbox == [message]


def test_the_file_backend_appends_a_json_line_and_reads_it_back(settings, tmp_path):
    settings.LUODI_MESSAGE_BACKEND = "luodi.lib.messaging.FileBackend"
    settings.LUODI_MESSAGE_FILE = tmp_path / "out" / "outbox.jsonl"
    messaging.send_text(to="13800001234", text="first", kind="notice")
    messaging.send_text(to="13800005678", text="second", kind="login_code", params={"code": "1"})
    lines = settings.LUODI_MESSAGE_FILE.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["first", "second"]
    read = messaging.read_file_outbox()
    assert read[1]["to"] == "13800005678"
    assert read[1]["params"] == {"code": "1"}


def test_a_message_without_a_number_is_refused(outbox):
    with pytest.raises(messaging.DeliveryError):
        messaging.send_text(to="--", text="x", kind="notice")
    assert outbox == []
