"""Contract-based invoice lines, computed by hand (domain-rules §2 and §8)."""

from __future__ import annotations

import datetime as dt

import pytest

from insats.domain.billing import InvoiceKind, InvoiceLine
from insats.domain.common import DomainError, Money, Period
from insats.domain.contracts import (
    Counterparty,
    Month,
    basansvar_lines,
    check_no_overlap,
    hourly_amount,
    hsl_lines,
    month_lines,
    outstanding,
    place_lines,
    round_half_up,
    stay_days,
)
from insats.domain.stays import StayKind
from insats.domain.time_reports import TimeEntryStatus, TimeKind
from tests.billing_builders import (
    a_basansvar_contract,
    a_place_contract,
    a_stay,
    an_attested_entry,
    an_hsl_contract,
)
from tests.builders import a_client, a_decision, a_group, stockholm

OCT, SEP = Month(2026, 10), Month(2026, 9)
CLIENTS = [a_client(), a_client(id="C0002", pseudonym="B-0002", unit_id="U02",
                                home_municipality_code="1442"),
           a_client(id="C0003", pseudonym="B-0003")]
GROUPS = [a_group()]
DECISIONS = [a_decision(provider_id="P06")]


def episode_entries() -> list:  # type: ignore[type-arg]
    return [
        an_attested_entry(id="T1", start=stockholm(2026, 9, 19, 7), end=stockholm(2026, 9, 19, 15)),
        an_attested_entry(id="T2", start=stockholm(2026, 9, 29, 7), end=stockholm(2026, 9, 29, 15)),
        # a night from 30 September belongs to September
        an_attested_entry(id="T3", start=stockholm(2026, 9, 30, 22), end=stockholm(2026, 10, 1, 7)),
        an_attested_entry(id="T4", start=stockholm(2026, 10, 1, 7), end=stockholm(2026, 10, 1, 15)),
        an_attested_entry(id="T5", start=stockholm(2026, 10, 2, 7), end=stockholm(2026, 10, 2, 15),
                          break_minutes=30),
        # not attested, and beredskap: never billed
        an_attested_entry(id="T6", start=stockholm(2026, 10, 3, 7), end=stockholm(2026, 10, 3, 15),
                          status=TimeEntryStatus.REPORTED, attested_at=None, attested_by=None),
        an_attested_entry(id="T7", start=stockholm(2026, 10, 4, 7), end=stockholm(2026, 10, 4, 15),
                          kind=TimeKind.STAND_BY),
    ]


def basansvar(month: Month, contracts: list | None = None) -> list:  # type: ignore[type-arg]
    return basansvar_lines(contracts or [a_basansvar_contract()], month=month,
                           entries=episode_entries(), groups=GROUPS, clients=CLIENTS,
                           decisions=DECISIONS)


def test_rounding_is_half_away_from_zero_once_per_line() -> None:
    assert round_half_up(5, 2) == 3
    assert round_half_up(-5, 2) == -3
    assert round_half_up(4, 3) == 1
    # 7 minutes at 340,50 kr/h = 39,725 kr → 39,73 kr
    assert hourly_amount(7, Money.kronor("340,50")) == Money(3973)


def test_basansvar_episode_across_a_month_end_bills_each_month_its_own_shifts() -> None:
    september = basansvar(SEP)
    october = basansvar(OCT)

    assert len(september) == len(october) == 1
    sep, octo = september[0].line, october[0].line
    # 29 Sep 8 h + night 30 Sep–1 Oct 9 h = 17 h; 19 Sep is before the contract
    assert (sep.quantity_minutes, sep.quantity) == (1020, 2)
    assert sep.amount == Money(578_850)  # 17 × 340,50 kr
    assert "B-0001" in sep.description and "2026-09-20–2026-09-30" in sep.description
    assert "17,00 h" in sep.description
    # 1 Oct 8 h + 2 Oct 7,5 h = 15,5 h; the reported and the beredskap shifts are left out
    assert (octo.quantity_minutes, octo.quantity) == (930, 2)
    assert octo.amount == Money(527_775)  # 15,5 × 340,50 kr
    assert octo.unit_price == Money.kronor("340,50")
    assert octo.basis_key == "K0001:C0001:U01:2026-10"
    assert october[0].counterparty.reference == "559123-4567"
    assert october[0].unit_id == "U01"


def test_a_price_change_mid_month_is_a_second_contract_row_and_a_second_line() -> None:
    old = a_basansvar_contract(valid=Period(dt.date(2026, 9, 20), dt.date(2026, 10, 2)))
    new = a_basansvar_contract(id="K0004", price=Money.kronor("352,00"),
                               valid=Period(dt.date(2026, 10, 2), dt.date(2026, 11, 1)))

    lines = [c.line for c in basansvar(OCT, [old, new])]

    assert [(ln.contract_id, ln.quantity_minutes, ln.amount) for ln in lines] == [
        ("K0001", 480, Money(272_400)),  # 1 Oct: 8 h × 340,50
        ("K0004", 450, Money(264_000)),  # 2 Oct: 7,5 h × 352,00
    ]
    assert "2026-10-01–2026-10-01" in lines[0].description
    assert "2026-10-02–2026-10-31" in lines[1].description


def test_basansvar_bills_only_clients_of_the_contract_provider() -> None:
    other_provider = [a_decision(provider_id="P02")]
    lines = basansvar_lines([a_basansvar_contract()], month=OCT, entries=episode_entries(),
                            groups=GROUPS, clients=CLIENTS, decisions=other_provider)
    assert lines == []
    # a contract that names the client bills it whatever the decision says
    named = a_basansvar_contract(client_id="C0001")
    lines = basansvar_lines([named], month=OCT, entries=episode_entries(), groups=GROUPS,
                            clients=CLIENTS, decisions=other_provider)
    assert [c.line.quantity_minutes for c in lines] == [930]


def test_the_most_specific_contract_wins_and_a_tie_is_an_error() -> None:
    general = a_basansvar_contract()
    specific = a_basansvar_contract(id="K0009", client_id="C0001",
                                    price=Money.kronor("300,00"))
    lines = basansvar(OCT, [general, specific])
    assert [c.line.contract_id for c in lines] == ["K0009"]

    twin = a_basansvar_contract(id="K0010", unit_id="U01")
    with pytest.raises(DomainError) as error:
        basansvar(OCT, [specific, twin])
    assert error.value.code == "contract.ambiguous"


def test_stay_days_count_nights_and_a_day_visit_counts_one() -> None:
    weekend = a_stay()  # Fri 30 Oct 15:00 – Mon 2 Nov 10:00
    assert stay_days(weekend) == [dt.date(2026, 10, 30), dt.date(2026, 10, 31),
                                  dt.date(2026, 11, 1)]
    day_visit = a_stay(start=stockholm(2026, 10, 5, 10), end=stockholm(2026, 10, 5, 18))
    assert stay_days(day_visit) == [dt.date(2026, 10, 5)]


def test_korttid_stays_crossing_a_month_end_are_billed_in_the_right_month() -> None:
    stays = [
        a_stay(),  # 30, 31 Oct and 1 Nov
        a_stay(id="ST2", start=stockholm(2026, 10, 5, 10), end=stockholm(2026, 10, 5, 18)),
        # overlaps the weekend stay on 30 Oct: counted once
        a_stay(id="ST3", start=stockholm(2026, 10, 29, 16), end=stockholm(2026, 10, 30, 12)),
        # our own resident, another unit, and a hospital stay: not billed
        a_stay(id="ST4", client_id="C0003", start=stockholm(2026, 10, 5, 10),
               end=stockholm(2026, 10, 9, 10)),
        a_stay(id="ST5", unit_id="U03", start=stockholm(2026, 10, 12, 10),
               end=stockholm(2026, 10, 14, 10)),
        a_stay(id="ST6", kind=StayKind.HOSPITAL, start=stockholm(2026, 10, 20, 10),
               end=stockholm(2026, 10, 22, 10)),
    ]
    october = place_lines([a_place_contract()], month=OCT, stays=stays, clients=CLIENTS,
                          unit_names={"U02": "Korttidshemmet Mjörnstugan"})
    november = place_lines([a_place_contract()], month=Month(2026, 11), stays=stays,
                           clients=CLIENTS)

    assert len(october) == 1
    line = october[0].line
    assert (line.quantity, line.quantity_minutes) == (4, None)  # 5, 29, 30, 31 Oct
    assert line.amount == Money.kronor("16 600,00")  # 4 × 4 150 kr
    assert "Korttidshemmet Mjörnstugan" in line.description and "B-0002" in line.description
    assert "4 dygn" in line.description
    assert october[0].counterparty.reference == "kommun 1442"
    assert [c.line.quantity for c in november] == [1]


def test_place_price_change_splits_the_month() -> None:
    old = a_place_contract(valid=Period(dt.date(2026, 1, 1), dt.date(2026, 10, 31)))
    new = a_place_contract(id="K0005", price=Money.kronor("4 290,00"),
                           valid=Period(dt.date(2026, 10, 31), dt.date(2027, 1, 1)))
    lines = place_lines([old, new], month=OCT, stays=[a_stay()], clients=CLIENTS)
    assert [(c.line.contract_id, c.line.quantity, c.line.amount) for c in lines] == [
        ("K0002", 1, Money.kronor("4 150,00")),
        ("K0005", 1, Money.kronor("4 290,00")),
    ]


def test_hsl_is_the_agreed_weekly_time_pro_rata_without_whole_hospital_days() -> None:
    hospital = a_stay(id="H1", client_id="C0003", kind=StayKind.HOSPITAL, unit_id=None,
                      start=stockholm(2026, 10, 10, 12), end=stockholm(2026, 10, 14, 9))
    lines = hsl_lines([an_hsl_contract()], month=OCT, clients=CLIENTS, stays=[hospital])

    assert len(lines) == 1
    line = lines[0].line
    # 31 days − 11, 12, 13 Oct (whole days in hospital) = 28 days; 210 min × 28 / 7 = 840 min
    assert (line.quantity, line.quantity_minutes) == (28, 840)
    assert line.amount == Money.kronor("5 530,00")  # 14 h × 395 kr
    assert lines[0].unit_id == "U01"  # the client's unit
    assert lines[0].counterparty.name == "Västra Götalandsregionen"


def test_hsl_contract_starting_mid_month_rounds_minutes_half_up() -> None:
    contract = an_hsl_contract(valid=Period(dt.date(2026, 10, 16)), hsl_minutes_per_week=200)
    line = hsl_lines([contract], month=OCT, clients=CLIENTS, stays=[])[0].line
    # 16 days: 200 × 16 / 7 = 457,14 → 457 min; 457 × 395 / 60 = 3 008,583 → 3 008,58 kr
    assert (line.quantity, line.quantity_minutes) == (16, 457)
    assert line.amount == Money(300_858)


def test_month_lines_refuses_overlapping_contracts_of_the_same_scope() -> None:
    clash = a_basansvar_contract(id="K0008", valid=Period(dt.date(2026, 10, 1)))
    with pytest.raises(DomainError) as error:
        month_lines([a_basansvar_contract(), clash], month=OCT)
    assert error.value.code == "contract.overlap"
    check_no_overlap([a_basansvar_contract(),
                      a_basansvar_contract(id="K0007", valid=Period(dt.date(2026, 11, 1)))])


@pytest.mark.parametrize(("overrides", "code"), [
    ({"price": Money(0)}, "contract.price"),
    ({"reason": " "}, "contract.reason"),
    ({"provider_id": None}, "contract.provider"),
    ({"payment_days": 365}, "contract.payment_days"),
    ({"hsl_minutes_per_week": 60}, "contract.hsl_minutes"),
    ({"kind": InvoiceKind.FK_CLAIM}, "contract.kind"),
    ({"counterparty": Counterparty("Vårgårda kommun", municipality_code="1442")},
     "contract.counterparty"),
])
def test_contract_validation_speaks_swedish(overrides: dict, code: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(DomainError) as error:
        a_basansvar_contract(**overrides)
    assert error.value.code == code


def test_place_and_hsl_contracts_need_their_own_fields() -> None:
    with pytest.raises(DomainError, match="kommunkod"):
        a_place_contract(counterparty=Counterparty("Bolaget AB", organisation_number="5591234567"))
    with pytest.raises(DomainError, match="HSL-tid"):
        an_hsl_contract(hsl_minutes_per_week=None)
    with pytest.raises(DomainError, match="brukare"):
        an_hsl_contract(client_id=None)
    with pytest.raises(DomainError, match="fyra siffror"):
        Counterparty("X kommun", municipality_code="14420")


def _line(minutes: int | None, quantity: int, ore: int, key: str = "K:C:U:2026-10"
          ) -> InvoiceLine:
    return InvoiceLine(description="Assistans", quantity_minutes=minutes, quantity=quantity,
                       unit_price=Money(34_050), amount=Money(ore), basis_key=key)


def test_outstanding_nets_issued_and_credited_lines() -> None:
    now = _line(930, 2, 527_775)
    # nothing billed: the line as it is
    assert outstanding([now], []) == ([now], [])
    # billed exactly: nothing left
    assert outstanding([now], [_line(930, 2, 527_775)]) == ([], [])
    # billed and credited: bill again in full
    assert outstanding([now], [_line(930, 2, 527_775), _line(-930, -2, -527_775)]) == ([now], [])
    # a shift attested after the invoice: a supplement for the difference only
    lines, notes = outstanding([now], [_line(480, 1, 272_400)])
    assert notes == []
    supplement = lines[0]
    assert (supplement.quantity_minutes, supplement.quantity) == (450, 1)
    assert supplement.amount == Money(255_375)
    assert lines[0].description.startswith("Tillägg (tidigare fakturerat 8,00 h)")
    # billed for more than it now comes to: no line, a note to credit
    lines, notes = outstanding([_line(480, 1, 272_400)], [now])
    assert lines == [] and notes[0].billed == Money(527_775)


def test_month_parses_and_labels_in_swedish() -> None:
    assert Month.parse("2026-10") == OCT
    assert OCT.label == "oktober 2026"
    assert str(Month.parse("2026-1")) == "2026-01"
    for bad in ("10-2026", "2026-13", "oktober"):
        with pytest.raises(DomainError):
            Month.parse(bad)
