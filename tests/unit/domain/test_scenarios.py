"""The scenario calculator's formulas on hand-computed examples (docs/scenarios.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from insats.domain.common import DomainError, Money
from insats.domain.scenarios import (
    BreakInputs,
    DataWindow,
    Given,
    Lease,
    MeetingInputs,
    Pay,
    PremisesInputs,
    ScenarioKey,
    ScenarioParameters,
    TaxiInputs,
    Training,
    TrainingInputs,
    UnitBreaks,
    UnitMeetings,
    breaks_scenario,
    is_school_taxi,
    low_use_leases,
    meetings_scenario,
    premises_scenario,
    school_taxi_scenario,
    select_leases,
    sessions_needed,
    stated_use,
    training_scenario,
)

YEAR = DataWindow(dt.date(2026, 1, 1), 12)
HALF = DataWindow(dt.date(2026, 1, 1), 6)
# PO 40 %, holiday pay 12 %, substitute timlön 200 kr: 200 × 1.12 × 1.4 = 313.60 kr/h
PAY = Pay(Given(400, "PO"), Given(120, "semester"), Given(20_000, "timvikarier"))
WAGE = 18_000  # 180 kr/h


def g(value: int) -> Given:
    return Given(value, "test")


def test_the_data_window_is_scaled_to_a_year() -> None:
    assert YEAR.per_year == 1 and HALF.per_year == 2
    assert HALF.end == dt.date(2026, 7, 1) and YEAR.end == dt.date(2027, 1, 1)
    assert DataWindow(dt.date(2026, 8, 1), 3).end == dt.date(2026, 11, 1)
    assert "× 12/6" in HALF.label and "×" not in YEAR.label
    with pytest.raises(DomainError):
        DataWindow(dt.date(2026, 1, 1), 0)
    assert PAY.substitute_cost_per_hour == pytest.approx(31_360)


def _meetings(window: DataWindow = YEAR) -> MeetingInputs:
    # A: 9 meetings of 180 min; per meeting 4 participants off shift and 2 replaced.
    a = UnitMeetings("A", meetings=9, meeting_minutes=9 * 180,
                     off_shift_minutes=9 * 4 * 180, off_shift_wage=108 * WAGE,
                     substitute_minutes=9 * 2 * 180)
    # B already meets twice a year for an hour: nothing to save.
    b = UnitMeetings("B", meetings=2, meeting_minutes=120, off_shift_minutes=360,
                     off_shift_wage=6 * WAGE, substitute_minutes=0)
    return MeetingInputs(window, (a, b), PAY, interval_weeks=g(12), minutes=g(90))


def test_meetings_every_twelfth_week_for_ninety_minutes() -> None:
    result = meetings_scenario(_meetings())
    # A: 108 h × 180 kr × 1.4 + 54 h × 313.60 kr = 27 216 + 16 934.40 = 44 150.40 kr;
    #    kept share (52/12 meetings × 90 min) / (9 × 180 min) = 13/54 → 10 628.80 kr.
    # B: 6 h × 180 kr × 1.4 = 1 512 kr, unchanged.
    assert result.key is ScenarioKey.MEETINGS
    assert result.baseline_cost == Money(4_415_040 + 151_200)
    assert result.scenario_cost == Money(1_062_880 + 151_200)
    assert result.saving == Money(3_352_160)
    assert result.baseline_minutes == 9 * 6 * 180 + 360
    assert any("var 12:e vecka" in line for line in result.basis)
    assert "11 möten/år i 2 enheter" in result.baseline
    # A's 54 h of substitutes cost 16 934.40 kr: a fifth of a booked 84 672 kr.
    compared = meetings_scenario(MeetingInputs(YEAR, _meetings().units, PAY, g(12), g(90),
                                               substitute_account=Money(8_467_200)))
    assert compared.basis[-1].endswith("(20,0\u00a0%).")


def test_half_a_year_of_meetings_counts_double_and_today_saves_nothing() -> None:
    half = meetings_scenario(_meetings(HALF))
    assert half.baseline_cost == Money(2 * (4_415_040 + 151_200))
    # A half year of 9 meetings is 18 a year: every 2.9 weeks, so 12 weeks still saves.
    assert half.saving.ore > 0
    same = meetings_scenario(MeetingInputs(YEAR, _meetings().units, PAY,
                                           interval_weeks=g(1), minutes=g(180)))
    assert same.saving == Money(0)  # never more or longer meetings than today
    with pytest.raises(DomainError):
        meetings_scenario(MeetingInputs(YEAR, (), PAY, interval_weeks=g(0), minutes=g(90)))
    empty = meetings_scenario(MeetingInputs(YEAR, (), PAY, interval_weeks=g(12), minutes=g(90)))
    assert empty.saving == Money(0) and empty.baseline == "Inga möten registrerade"


def test_training_in_large_groups_needs_fewer_sessions() -> None:
    assert [sessions_needed(n, 12) for n in (0, 1, 12, 13, 60)] == [0, 1, 1, 2, 5]
    inputs = TrainingInputs(
        YEAR, (Training("Brandskydd", 240, 60, 60), Training("IBIC", 180, 30, 15),
               Training("Annan enhets", 120, 20, 0)),
        small_group=g(12), large_group=g(40), session_cost_per_hour=g(150_000))
    result = training_scenario(inputs)
    # Brandskydd: 5 → 2 sessions of 4 h; IBIC: 3 → 1 session of 3 h, half in scope.
    # Today 20 h + 4.5 h = 24.5 h × 1 500 kr; large groups 8 h + 1.5 h = 9.5 h.
    assert result.baseline_minutes == 1470 and result.scenario_minutes == 570
    assert result.baseline_cost == Money(3_675_000)
    assert result.scenario_cost == Money(1_425_000)
    assert result.saving == Money(2_250_000)
    assert any("varav 15 i urvalet" in line for line in result.basis)


def test_scheduled_breaks_save_the_paid_break_time() -> None:
    unit = UnitBreaks("Kullingsgården", shifts=100, missing_minutes=3000,
                      missing_wage=50 * WAGE)
    inputs = BreakInputs(HALF, (unit,), PAY, break_minutes=g(30), longer_than=g(360))
    result = breaks_scenario(inputs)
    # 50 h × 180 kr × 1.4 = 12 600 kr in half a year: 25 200 kr a year.
    assert result.baseline_cost == Money(2_520_000) and result.scenario_cost == Money(0)
    assert result.baseline_minutes == 6000
    assert any("Kullingsgården: 100 pass" in line for line in result.basis)


def test_school_taxi_by_text_or_by_a_given_share() -> None:
    assert is_school_taxi("Taxi skola–korttidstillsyn, 95 resor (skolskjuts, ska betalas av BoU)")
    assert not is_school_taxi("Taxi, resor med brukare")
    inputs = TaxiInputs(YEAR, total=Money(10_000_000), entries=20, school=Money(6_000_000),
                        school_entries=9)
    assert school_taxi_scenario(inputs).saving == Money(6_000_000)
    shared = TaxiInputs(YEAR, total=Money(10_000_000), entries=20, school=Money(6_000_000),
                        school_entries=9, school_share=g(250))
    result = school_taxi_scenario(shared)
    assert result.saving == Money(2_500_000)
    assert result.scenario_cost == Money(7_500_000)


def test_premises_given_up_by_stated_low_use_or_by_name() -> None:
    assert stated_use("Hyra lokal Hemsjö träffpunkt (nyttjas ca 15 %)") == 150
    assert stated_use("Hyra lokal") is None
    low = Lease("k1", "PA Nolhaga", "Hyra lokal Hemsjö träffpunkt (nyttjas ca 15 %)",
                "Privat hyresvärd", Money(1_200_000), 12)
    main = Lease("k2", "Mjörnstugan", "Hyra lokal", "Alingsåshem AB", Money(2_400_000), 12)
    leases = (low, main)
    assert low_use_leases(leases, 500) == {"k1"} and low_use_leases(leases, 100) == set()
    assert select_leases(leases, ["hemsjö"]) == {"k1"}
    assert select_leases(leases, ["k2", " "]) == {"k2"}
    assert select_leases(leases, ["alingsåshem"]) == {"k2"}
    result = premises_scenario(PremisesInputs(HALF, leases, frozenset({"k1"}), "test"))
    assert result.baseline_cost == Money(7_200_000)
    assert result.saving == Money(2_400_000)
    none = premises_scenario(PremisesInputs(YEAR, leases, frozenset(), "test"))
    assert none.saving == Money(0) and "Ingen lokal vald." in none.basis


@pytest.mark.parametrize("field", ["meeting_interval_weeks", "meeting_minutes",
                                   "training_small_group", "break_minutes"])
def test_parameters_out_of_range_are_refused(field: str) -> None:
    with pytest.raises(DomainError) as refused:
        ScenarioParameters(**{field: 0})
    assert refused.value.code == "scenario.parameter"
    with pytest.raises(DomainError):
        ScenarioParameters(school_taxi_share=1001)
    ScenarioParameters(meeting_interval_weeks=12, school_taxi_share=0, premises=())
