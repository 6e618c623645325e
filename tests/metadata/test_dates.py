"""EDTF dates: the level-0 subset docs/metadata.md allows, with calendar checks."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given

from callimachus.metadata.dates import date_bounds, normalize_edtf

from .strategies import intervals, level0_dates

pytestmark = pytest.mark.backend_independent


@pytest.mark.parametrize(
    "value",
    ["2024", "2024-05", "2024-05-17", "2024-02-29", "2020/2022-06", "2020-06/2020", "1000-01-01", "9999"],
)
def test_level0_dates_and_intervals_pass(value: str) -> None:
    assert normalize_edtf(value) == value
    assert normalize_edtf(value, allow_open=True) == value


def test_surrounding_spaces_are_trimmed() -> None:
    assert normalize_edtf(" 2024-05 \n") == "2024-05"


@pytest.mark.parametrize("value", ["../2020", "2020/..", "../2020-05-17"])
def test_open_ends_only_where_allowed(value: str) -> None:
    assert normalize_edtf(value, allow_open=True) == value
    with pytest.raises(ValueError, match="open-ended"):
        normalize_edtf(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-02-30", "Invalid date: 2023-02-30 is not a calendar date."),
        ("2023-02-29", "Invalid date: 2023-02-29 is not a calendar date."),
        ("2023-04-31", "Invalid date: 2023-04-31 is not a calendar date."),
        ("2024-13", "Invalid date: 2024-13 has no month 13."),
        ("2024-21", "Invalid date: 2024-21 has no month 21."),
        ("2024?", "Invalid date: 2024? is not a date like 2024, 2024-05 or 2024-05-17."),
        ("2024-XX", "Invalid date: 2024-XX is not a date like 2024, 2024-05 or 2024-05-17."),
        ("17 May 2024", "Invalid date: 17 May 2024 is not a date like 2024, 2024-05 or 2024-05-17."),
        (
            "2024-05-17T10:00:00",
            "Invalid date: 2024-05-17T10:00:00 is not a date like 2024, 2024-05 or 2024-05-17.",
        ),
        ("2022/2020", "Invalid date: the interval 2022/2020 ends before it starts."),
        ("2020/2021/2022", "Invalid date: 2020/2021/2022 has more than two ends."),
        ("/2020", "Invalid date: /2020 has an empty end."),
        ("0000", "Invalid date: 0000 is in year 0000, which is not supported."),
        ("", "Invalid date: it is empty."),
    ],
)
def test_invalid_dates(value: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        normalize_edtf(value)
    assert str(error.value) == message


def test_both_ends_open_is_refused() -> None:
    with pytest.raises(ValueError, match="open at both ends"):
        normalize_edtf("../..", allow_open=True)


def test_date_bounds() -> None:
    assert date_bounds("2024") == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    assert date_bounds("2024-02") == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    assert date_bounds("2020/2022-06") == (datetime.date(2020, 1, 1), datetime.date(2022, 6, 30))
    assert date_bounds("../2020") == (None, datetime.date(2020, 12, 31))
    assert date_bounds("2020-05-17/..") == (datetime.date(2020, 5, 17), None)


@given(level0_dates())
def test_every_calendar_date_passes(value: str) -> None:
    assert normalize_edtf(value) == value


@given(intervals(open_ends=True))
def test_generated_intervals_pass(value: str) -> None:
    assert normalize_edtf(value, allow_open=True) == value
