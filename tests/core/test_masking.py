import pytest

from dangjian.core.masking import mask_id_number, mask_mobile


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("460106199001011234", "4601**********1234"),
        ("11010519491231002X", "1101**********002X"),
        ("12345678", "********"),
        ("123456789", "1234*6789"),
        ("1234567", "*******"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("8613812345678", "861******5678"),
        ("1381234567", "**********"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_mobile(value, masked):
    assert mask_mobile(value) == masked
