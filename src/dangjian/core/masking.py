"""Masked display of personal data: enough to recognise a record, not enough to reuse the number."""


def mask_id_number(value: str | None) -> str:
    """Keep the first 4 and last 4 characters: ``4601**********1234``. Up to 8 long: all stars."""
    if not value:
        return ""
    # At exactly 8 characters "first 4 + last 4" would be the whole value.
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """Keep the first 3 and last 4 digits: ``138****5678``. Shorter than 11: all stars."""
    if not value:
        return ""
    # Below 11 characters, showing 7 of them would give most of the number away.
    if len(value) < 11:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
