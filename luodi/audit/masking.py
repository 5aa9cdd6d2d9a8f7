"""How the model-change history shows an ID or phone number it records (never in full)."""

from luodi.lib.personal import mask_id_number, mask_phone


def mask_number(value: str) -> str:
    """An ID number or phone number masked as the pages mask it; anything else all stars."""
    if value in ("", "None"):
        return value
    if len(value) == 18:
        return mask_id_number(value)
    if len(value) == 11:
        return mask_phone(value)
    return "*" * len(value)
