"""Key maintenance for personal data at rest: re-encrypt with the current field key, recompute
the digests after the digest key changed. Both run in batches and are audited."""

from django.apps import apps
from django.conf import settings
from django.db import models, transaction

from luodi.cadres.models import Cadre
from luodi.lib import audit, crypto, personal


def encrypted_columns() -> list[tuple[type[models.Model], list[str]]]:
    """Every installed model with encrypted fields, and those fields' columns."""
    found = []
    for model in apps.get_models():
        columns = [
            str(f.column)
            for f in model._meta.concrete_fields
            if isinstance(f, crypto.EncryptedCharField)
        ]
        if columns:
            found.append((model, columns))
    return found


def rotate_field_keys(*, by=None, batch_size: int = 1000) -> dict[str, int]:
    """Re-encrypt every encrypted value with the first of ``LUODI_FIELD_KEYS``
    (``MultiFernet.rotate``); afterwards the older keys can be removed. Returns rows changed
    per model."""
    changed = {}
    for model, columns in encrypted_columns():
        with transaction.atomic():
            rows = crypto.rewrite_columns(model, columns, crypto.rotate, batch_size=batch_size)
        changed[model._meta.label_lower] = rows
        audit.record("personal.rotate_field_keys", by=by, model=model._meta.label_lower, rows=rows)
    return changed


def rehash_id_numbers(*, by=None, batch_size: int = 1000) -> int:
    """Recompute every cadre's ID and phone digests with the current ``LUODI_ID_DIGEST_KEY``
    (decrypting the numbers); returns the number of cadres."""
    key, last, count = settings.LUODI_ID_DIGEST_KEY, 0, 0
    with transaction.atomic():
        while True:
            batch = list(Cadre.objects.filter(pk__gt=last).order_by("pk")[:batch_size])
            if not batch:
                break
            for cadre in batch:
                cadre.id_number_digest = personal.id_number_digest(cadre.id_number, key)
                cadre.phone_digest = personal.phone_digest(cadre.phone, key)
            Cadre.objects.bulk_update(batch, ["id_number_digest", "phone_digest"])
            count += len(batch)
            last = batch[-1].pk
    audit.record("personal.rehash_id_numbers", by=by, rows=count)
    return count
