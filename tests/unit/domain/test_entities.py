import datetime as dt

import pytest

from insats.domain.actions import Action, ActionStatus
from insats.domain.billing import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from insats.domain.calendar import UTC
from insats.domain.common import DomainError, Minutes, Money, Period
from insats.domain.decisions import (
    DecidedBy,
    Decision,
    Insats,
    LegalBasis,
    Payer,
    decision_conflicts,
    responsible_payer,
)
from insats.domain.providers import Provider
from insats.domain.staff import Agreement, Employee, EmploymentForm, Position
from insats.domain.time_reports import TimeEntry, TimeEntryStatus


def sfb_decision(**overrides: object) -> Decision:
    values: dict[str, object] = dict(
        id="D1", client_id="C1", legal_basis=LegalBasis.SFB, insats=Insats.PERSONAL_ASSISTANCE,
        period=Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1)), decided_by=DecidedBy.FK,
        payer=Payer.FK, provider_id="P0", decided_on=dt.date(2025, 12, 1),
        granted_minutes_per_week=70 * 60,
    )
    values.update(overrides)
    return Decision(**values)  # type: ignore[arg-type]


def test_weekly_grant_is_prorated_by_day() -> None:
    decision = sfb_decision()
    assert decision.granted_in(Period.month(2026, 1)) == Minutes(70 * 60 * 31 // 7)
    assert decision.granted_in(Period.month(2026, 7)) == Minutes(0)


def test_period_total_is_spread_over_the_grant_period() -> None:
    decision = sfb_decision(granted_minutes_per_week=None, granted_minutes_total=181 * 600)
    assert decision.granted_in(Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1))) == Minutes(
        181 * 600
    )
    assert decision.granted_in(Period.month(2026, 1)) == Minutes(31 * 600)


def test_period_total_needs_a_period_of_at_most_six_months() -> None:
    with pytest.raises(DomainError) as error:
        sfb_decision(
            granted_minutes_per_week=None,
            granted_minutes_total=1000,
            period=Period(dt.date(2026, 1, 1), dt.date(2026, 8, 1)),
        )
    assert error.value.code == "decision.period_total"


def test_sfb_only_for_personal_assistance_decided_by_fk() -> None:
    with pytest.raises(DomainError):
        sfb_decision(insats=Insats.SHORT_TERM_STAY)
    with pytest.raises(DomainError):
        sfb_decision(decided_by=DecidedBy.MUNICIPALITY)


def test_boendestod_is_sol_not_lss() -> None:
    with pytest.raises(DomainError):
        sfb_decision(legal_basis=LegalBasis.LSS, insats=Insats.HOUSING_SUPPORT,
                     decided_by=DecidedBy.MUNICIPALITY, payer=Payer.MUNICIPALITY)


def test_hourly_insats_needs_granted_time() -> None:
    with pytest.raises(DomainError) as error:
        sfb_decision(granted_minutes_per_week=None)
    assert error.value.code == "decision.grant_missing"


def test_payer_follows_the_twenty_hour_rule() -> None:
    threshold = Minutes(20 * 60)
    assert responsible_payer(20 * 60 + 1, threshold) is Payer.FK
    assert responsible_payer(20 * 60, threshold) is Payer.MUNICIPALITY


def test_conflicts_between_decisions() -> None:
    pa = sfb_decision()
    companion = sfb_decision(id="D2", legal_basis=LegalBasis.LSS, insats=Insats.COMPANION_SERVICE,
                             decided_by=DecidedBy.MUNICIPALITY, payer=Payer.MUNICIPALITY,
                             granted_minutes_per_week=240)
    stay = sfb_decision(id="D3", legal_basis=LegalBasis.LSS, insats=Insats.SHORT_TERM_STAY,
                        decided_by=DecidedBy.MUNICIPALITY, payer=Payer.MUNICIPALITY,
                        granted_minutes_per_week=None)
    codes = {(severity, code) for severity, code, _ in decision_conflicts([pa, companion, stay])}
    assert codes == {("error", "decision.companion_with_assistance"),
                     ("warning", "decision.double_stay")}


def employee(**overrides: object) -> Employee:
    values: dict[str, object] = dict(
        id="E1", given_name="Anna", family_name="Berg", home_unit_id="U1",
        position=Position.ASSISTANT, employment_form=EmploymentForm.PERMANENT,
        agreement=Agreement.AB_BILAGA_J, employment_percent=75,
        full_time_minutes_per_week=2400, employed=Period(dt.date(2020, 1, 1)),
        monthly_wage=Money.kronor(22500),
    )
    values.update(overrides)
    return Employee(**values)  # type: ignore[arg-type]


def test_hourly_rate_from_monthly_wage() -> None:
    # 75 % of 30 000 kr; timlön = 30 000 × 12 / (52 × 40) = 173,08 kr
    assert employee().hourly_rate() == Money(17308)
    assert employee().contracted_minutes_per_week == Minutes(1800)


def test_relative_carer_must_be_on_pan_with_a_client() -> None:
    with pytest.raises(DomainError):
        employee(position=Position.CARER_RELATIVE)
    with pytest.raises(DomainError):
        employee(position=Position.CARER_RELATIVE, related_client_id="C1")
    carer = employee(position=Position.CARER_RELATIVE, related_client_id="C1",
                     agreement=Agreement.PAN, employment_form=EmploymentForm.FIXED_TERM)
    assert carer.is_relative_carer


def test_hourly_substitute_needs_an_hourly_wage_and_no_degree() -> None:
    with pytest.raises(DomainError):
        employee(employment_form=EmploymentForm.HOURLY, employment_percent=0, monthly_wage=None)
    substitute = employee(employment_form=EmploymentForm.HOURLY, employment_percent=0,
                          monthly_wage=None, hourly_wage=Money.kronor(160))
    assert substitute.hourly_rate() == Money(16000)


def entry() -> TimeEntry:
    return TimeEntry(
        id="T1", employee_id="E1", group_id="G1",
        start=dt.datetime(2026, 1, 5, 7, tzinfo=UTC), end=dt.datetime(2026, 1, 5, 15, tzinfo=UTC),
        break_minutes=30,
    )


def test_attested_time_cannot_change_and_is_corrected_by_a_new_row() -> None:
    attested = entry().attest(by="E9", at=dt.datetime(2026, 2, 1, tzinfo=UTC))
    assert attested.status is TimeEntryStatus.ATTESTED
    assert attested.worked == Minutes(450)
    with pytest.raises(DomainError):
        attested.ensure_editable()
    with pytest.raises(DomainError):
        attested.attest(by="E9", at=dt.datetime(2026, 2, 2, tzinfo=UTC))
    fix = attested.correction(new_id="T2", start=attested.start,
                              end=attested.end - dt.timedelta(hours=1), break_minutes=30,
                              reported_on=dt.date(2026, 2, 3))
    assert fix.corrects_entry_id == "T1" and fix.status is TimeEntryStatus.REPORTED
    assert fix.worked == Minutes(390)
    assert attested.worked == Minutes(450)


def test_issued_invoice_is_immutable_and_credited() -> None:
    line = InvoiceLine("Basansvar v. 3", 600, 10, Money.kronor(332.60), Money.kronor(3326))
    draft = Invoice(id="I1", kind=InvoiceKind.PROVIDER_BASANSVAR, recipient="Assistans AB",
                    unit_id="U1").with_line(line)
    issued = draft.issue(number="2026-0001", on=dt.date(2026, 2, 1), payment_days=30)
    assert issued.status is InvoiceStatus.ISSUED and issued.due_on == dt.date(2026, 3, 3)
    with pytest.raises(DomainError):
        issued.with_line(line)
    credit = issued.credit_note(new_id="I2")
    assert credit.total == -issued.total and credit.credits_invoice_id == "I1"


def test_provider_needs_an_ivo_permit_after_november_2021() -> None:
    provider = Provider(id="P1", name="Assistans AB", organisation_number="556000-0000",
                        is_municipal=False,
                        ivo_permit=Period(dt.date(2020, 1, 1), dt.date(2026, 3, 1)))
    assert provider.may_be_paid_on(dt.date(2026, 2, 28))
    assert not provider.may_be_paid_on(dt.date(2026, 3, 1))


def test_action_is_overdue_after_its_follow_up_date_unless_done() -> None:
    action = Action(id="A1", department_id="D", activity="Ej utföra mer tid än beviljad",
                    measure="Bemanna efter beslut", status=ActionStatus.ONGOING,
                    owner_role="EC pers. ass", follow_up_on=dt.date(2026, 6, 30))
    assert action.overdue_on(dt.date(2026, 7, 1))
    assert not action.overdue_on(dt.date(2026, 6, 30))
