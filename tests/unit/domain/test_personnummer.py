import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insats.domain.common import DomainError
from insats.domain.personnummer import (
    IdentityKind,
    luhn_check_digit,
    make_identity,
    parse_identity,
)

TODAY = dt.date(2026, 11, 22)
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
serials = st.integers(min_value=0, max_value=999)


def test_known_test_number_from_skatteverket_series() -> None:
    identity = parse_identity("19121212-1212", today=TODAY)
    assert identity.digits == "191212121212"
    assert identity.kind is IdentityKind.PERSONNUMMER
    assert identity.birth_date == dt.date(1912, 12, 12)


def test_luhn_digit_of_known_number() -> None:
    assert luhn_check_digit("811218987") == 6  # 811218-9876, the textbook example


def test_wrong_check_digit_is_refused_without_echoing_the_number() -> None:
    with pytest.raises(DomainError) as error:
        parse_identity("19121212-1213", today=TODAY)
    assert error.value.code == "personnummer.checksum"
    assert "1213" not in error.value.message


def test_invalid_date_is_refused() -> None:
    nine = "120230123"  # 30 February
    number = f"19{nine}{luhn_check_digit(nine)}"
    with pytest.raises(DomainError) as error:
        parse_identity(number, today=TODAY)
    assert error.value.code == "personnummer.date"


def test_garbage_is_refused_with_format_error() -> None:
    with pytest.raises(DomainError) as error:
        parse_identity("abc", today=TODAY)
    assert error.value.code == "personnummer.format"


@given(birth_dates, serials)
def test_any_generated_number_parses_back_in_twelve_digit_form(born: dt.date, serial: int) -> None:
    identity = make_identity(born, serial)
    parsed = parse_identity(identity.formatted(), today=TODAY)
    assert parsed == identity
    assert parsed.birth_date == born


@given(birth_dates, serials)
def test_samordningsnummer_adds_sixty_to_the_day(born: dt.date, serial: int) -> None:
    identity = make_identity(born, serial, samordning=True)
    assert int(identity.digits[6:8]) == born.day + 60
    parsed = parse_identity(identity.digits, today=TODAY)
    assert parsed.kind is IdentityKind.SAMORDNINGSNUMMER
    assert parsed.birth_date == born


@given(birth_dates, serials)
def test_ten_digit_form_infers_the_century(born: dt.date, serial: int) -> None:
    identity = make_identity(born, serial)
    age = identity.age_on(TODAY)
    assert age is not None
    separator = "+" if age >= 100 else "-"
    short = identity.digits[2:8] + separator + identity.digits[8:]
    assert parse_identity(short, today=TODAY).digits == identity.digits


@given(birth_dates, serials, st.integers(min_value=0, max_value=9))
def test_every_other_check_digit_is_refused(born: dt.date, serial: int, digit: int) -> None:
    identity = make_identity(born, serial)
    if digit == int(identity.digits[-1]):
        return
    tampered = identity.digits[:-1] + str(digit)
    with pytest.raises(DomainError):
        parse_identity(tampered, today=TODAY)


def test_masked_form_hides_the_last_four_digits_and_repr_never_leaks() -> None:
    identity = parse_identity("191212121212", today=TODAY)
    assert identity.masked() == "19121212-****"
    assert "1212121212" not in repr(identity)
    assert str(identity) == "19121212-****"


def test_plus_sign_means_a_hundred_years_or_older() -> None:
    identity = make_identity(dt.date(1920, 5, 4), 123)
    short_plus = identity.digits[2:8] + "+" + identity.digits[8:]
    assert parse_identity(short_plus, today=TODAY).birth_date == dt.date(1920, 5, 4)
    short_minus = identity.digits[2:8] + "-" + identity.digits[8:]
    assert parse_identity(short_minus, today=TODAY).birth_date == dt.date(2020, 5, 4)


def test_reservnummer_only_when_allowed() -> None:
    with pytest.raises(DomainError):
        parse_identity("RES12345AB", today=TODAY)
    identity = parse_identity("RES12345AB", today=TODAY, allow_reservnummer=True)
    assert identity.kind is IdentityKind.RESERVNUMMER
    assert identity.birth_date is None
