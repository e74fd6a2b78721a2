"""Bucket boundaries and the CSV rules of metrics.md."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from data_access import recency
from data_access.exports.csv_format import BOM, csv_text, date, guard, pct

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("days,label", [(0, "0–1"), (1, "0–1"), (2, "2–3"), (3, "2–3"), (4, "4–7"), (7, "4–7"),
                                        (8, "8–14"), (14, "8–14"), (15, "15–30"), (30, "15–30"), (31, "31+"),
                                        (400, "31+"), (None, "Never")])
def test_bucket_of(days, label):
    assert recency.bucket_of(days) == label


def test_days_since_is_floored():
    last = int(NOW.timestamp()) - 2 * 86_400 + 1  # 1 second short of 2 days
    assert recency.days_since(last, NOW) == 1
    assert recency.days_since(None, NOW) is None


def test_normalise_label():
    assert recency.normalise_label("8-14") == "8–14"
    assert recency.normalise_label("never") == "Never"
    with pytest.raises(ValueError, match="unknown bucket '9-10'"):
        recency.normalise_label("9-10")


def test_guard_formula_injection():
    assert [guard(v) for v in ["=1+1", "+x", "-3", "@a", "\tx", "\rx", "ok", None, 5]] == \
        ["'=1+1", "'+x", "'-3", "'@a", "'\tx", "'\rx", "ok", "", "5"]


def test_pct_and_date():
    assert [pct(v) for v in [87.5, 87.54, 100.0, 33.333, 0, None]] == ["87.5", "87.5", "100", "33.3", "0", ""]
    assert date(int(datetime(2026, 3, 1, 9, 30, tzinfo=UTC).timestamp())) == "2026/03/01 09:30"
    assert date(int(datetime(2026, 3, 1, 9, 30, tzinfo=UTC).timestamp()), "Europe/Paris") == "2026/03/01 10:30"
    assert date(None) == ""


def test_csv_text_bom_quoting_crlf():
    out = csv_text(["Name", "Note"], [["Ann, B", 'say "hi"'], ["=cmd", None]])
    assert out == BOM + 'Name,Note\r\n"Ann, B","say ""hi"""\r\n\'=cmd,\r\n'
