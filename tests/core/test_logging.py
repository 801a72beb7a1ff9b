import logging

from dangjian.core.logging import PersonalDataFilter, redact


def test_id_numbers_and_mobiles_are_redacted_from_log_lines():
    assert redact("id=46010619900101123X phone 13912345678") == "id=460106********123X phone 139****5678"
    assert redact("order 202611270001234567890") == "order 202611270001234567890"


def test_the_filter_rewrites_messages_and_tracebacks():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "user %s", ("13912345678",), None)
    try:
        raise ValueError("bad 46010619900101123X")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    PersonalDataFilter().filter(record)
    assert record.getMessage() == "user 139****5678"
    assert "46010619900101123X" not in record.exc_text
