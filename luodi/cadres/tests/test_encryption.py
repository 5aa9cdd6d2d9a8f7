"""ID and phone numbers are encrypted at rest; keys rotate; digests are rehashed; files are
private to Luodi's user."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from luodi.cadres.models import Cadre
from luodi.faculty.models import Teacher
from luodi.lib import audit, crypto

ROOT = Path(__file__).resolve().parents[3]


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_it_stores_id_and_phone_numbers_as_ciphertext_and_reads_them_back(college):
    cadre = college.cadres_dalian[0]
    raw_id, raw_phone = (
        _raw("cadres_cadre", "id_number", cadre.pk),
        _raw("cadres_cadre", "phone", cadre.pk),
    )
    assert crypto.is_token(raw_id)
    assert crypto.is_token(raw_phone)
    assert cadre.id_number not in raw_id
    assert cadre.phone not in raw_phone
    fresh = Cadre.objects.get(pk=cadre.pk)
    assert (fresh.id_number, fresh.phone) == (cadre.id_number, cadre.phone)
    assert Cadre.objects.filter(pk=cadre.pk).values_list("phone", flat=True)[0] == cadre.phone


def test_it_encrypts_in_bulk_paths_too(college, make):
    teacher = Teacher(name="李老师", kind="part_time", source_unit="某街道", phone="13900001111")
    (teacher,) = Teacher.objects.bulk_create([teacher])
    assert crypto.is_token(_raw("faculty_teacher", "phone", teacher.pk))
    Teacher.objects.filter(pk=teacher.pk).update(phone="13900002222")
    assert crypto.is_token(_raw("faculty_teacher", "phone", teacher.pk))
    assert Teacher.objects.get(pk=teacher.pk).phone == "13900002222"


def test_it_refuses_to_search_an_encrypted_column(college):
    with pytest.raises(FieldError, match="digest"):
        Cadre.objects.filter(phone="13912345678").exists()


def test_it_finds_a_cadre_by_phone_through_the_digest(college):
    cadre = college.cadres_dalian[0]
    assert list(Cadre.objects.with_phone(f" {cadre.phone} ")) == [cadre]
    assert not Cadre.objects.with_phone("").exists()


def test_rotation_re_encrypts_every_value_with_the_first_key(college, settings):
    old = list(settings.LUODI_FIELD_KEYS)
    cadre = college.cadres_dalian[0]
    before = _raw("cadres_cadre", "id_number", cadre.pk)
    new_key = Fernet.generate_key().decode()
    settings.LUODI_FIELD_KEYS = [new_key, *old]
    call_command("rotate_field_keys", batch_size=2, stdout=open(os.devnull, "w"))  # noqa: SIM115
    after = _raw("cadres_cadre", "id_number", cadre.pk)
    assert after != before
    settings.LUODI_FIELD_KEYS = [new_key]  # the old key is gone: everything still reads
    assert [c.id_number for c in Cadre.objects.all()]
    assert Cadre.objects.get(pk=cadre.pk).id_number == cadre.id_number
    assert Cadre.objects.count() > 0
    assert Teacher.objects.get(pk=college.teacher.pk)
    assert {e["details"]["model"] for e in audit.recent("personal.rotate_field_keys")} >= {
        "cadres.cadre",
        "faculty.teacher",
    }


def test_without_the_key_the_column_is_unreadable(college, settings):
    cadre = college.cadres_dalian[0]
    settings.LUODI_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.InvalidToken):
        Cadre.objects.get(pk=cadre.pk)


def test_rehash_keeps_look_ups_working_after_the_digest_key_changes(college, settings):
    cadre = college.cadres_dalian[0]
    settings.LUODI_ID_DIGEST_KEY = "a-new-digest-key-for-this-test"
    assert not Cadre.objects.with_id_number(cadre.id_number).exists()
    call_command("rehash_id_numbers", batch_size=3, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(Cadre.objects.with_id_number(cadre.id_number)) == [cadre]
    assert list(Cadre.objects.with_phone(cadre.phone)) == [cadre]
    assert audit.recent("personal.rehash_id_numbers")


def _private(path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0


def test_uploaded_and_job_files_are_private(settings):
    name = default_storage.save("jobs/test/private-check.xlsx", ContentFile(b"x"))
    path = default_storage.path(name)
    assert _private(path)
    assert _private(Path(path).parent)


def _manage(data_dir, *args, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LUODI_", "DATABASE_"))}
    environ.update(LUODI_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def test_a_new_instance_keeps_its_database_and_keys_private(tmp_path):
    data_dir = tmp_path / "var"
    data_dir.mkdir(mode=0o755)
    done = _manage(data_dir, "migrate", "-v0")
    assert done.returncode == 0, done.stderr
    assert _private(data_dir)
    for name in ("luodi.sqlite3", "field_keys", "id_digest_key"):
        assert _private(data_dir / name), name
    assert Fernet((data_dir / "field_keys").read_text().strip().encode())


@pytest.mark.parametrize(
    ("given", "missing"),
    [("LUODI_FIELD_KEYS", "LUODI_ID_DIGEST_KEY"), ("LUODI_ID_DIGEST_KEY", "LUODI_FIELD_KEYS")],
)
def test_production_refuses_to_start_without_keys_in_the_environment(tmp_path, given, missing):
    env = {
        "LUODI_PRODUCTION": "1",
        "LUODI_SECRET_KEY": "x" * 50,
        given: Fernet.generate_key().decode(),
    }
    done = _manage(tmp_path, "check", **env)
    assert done.returncode != 0
    assert f"{missing} is not set" in done.stderr
    assert not (tmp_path / "field_keys").exists()
    assert not (tmp_path / "id_digest_key").exists()
