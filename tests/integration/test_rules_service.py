"""Users correct and add dated rule values; overlaps and unit changes are refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from insats.domain.common import DomainError, Money
from insats.domain.rules import Certainty, ParameterUnit, RuleParameter, bundled_parameters
from insats.services import rules
from insats.services.uow import UnitOfWork

UowFactory = Callable[[], UnitOfWork]


def schablon(valid_from: dt.date, ore: int, valid_to: dt.date | None = None,
             unit: ParameterUnit = ParameterUnit.ORE) -> RuleParameter:
    return RuleParameter("fk.schablon_per_hour", valid_from, ore, unit,
                         "Regeringsbeslut (test)", Certainty.CONFIRMED, valid_to)


@pytest.fixture
def stored(uow_factory: UowFactory) -> UowFactory:
    with uow_factory() as uow:
        assert rules.add_missing_bundled_parameters(uow) == len(bundled_parameters())
        uow.commit()
    with uow_factory() as uow:
        assert rules.add_missing_bundled_parameters(uow) == 0  # idempotent
    return uow_factory


def test_correcting_an_uncertain_value_keeps_one_row_and_marks_it(stored: UowFactory) -> None:
    corrected = schablon(dt.date(2026, 1, 1), 34100, dt.date(2027, 1, 1))

    assert rules.set_parameter(stored, corrected) is True

    with stored() as uow:
        book = uow.rules.rule_book()
        assert book.money("fk.schablon_per_hour", dt.date(2026, 5, 1)) == Money(34100)
        assert book.parameter("fk.schablon_per_hour", dt.date(2026, 5, 1)).certainty is (
            Certainty.CONFIRMED
        )
    assert len(rules.list_parameters(stored, key_prefix="fk.schablon")) == 10


def test_a_new_year_is_added(stored: UowFactory) -> None:
    assert rules.set_parameter(stored, schablon(dt.date(2027, 1, 1), 35000)) is False
    with stored() as uow:
        assert uow.rules.rule_book().money(
            "fk.schablon_per_hour", dt.date(2027, 3, 1)
        ) == Money(35000)


def test_overlapping_periods_are_refused_and_nothing_is_written(stored: UowFactory) -> None:
    before = rules.list_parameters(stored, key_prefix="fk.schablon")

    with pytest.raises(DomainError) as error:
        rules.set_parameter(stored, schablon(dt.date(2026, 6, 1), 35000))

    assert error.value.code == "rule.overlap"
    assert rules.list_parameters(stored, key_prefix="fk.schablon") == before


def test_a_key_keeps_its_unit(stored: UowFactory) -> None:
    with pytest.raises(DomainError) as error:
        rules.set_parameter(stored, schablon(dt.date(2027, 1, 1), 35000,
                                             unit=ParameterUnit.MINUTES))
    assert error.value.code == "rule.unit"
