"""Mapped tables, one module per domain feature; importing this package registers them all."""

from insats.db.models.absence import AbsenceRow
from insats.db.models.access import (
    AccountRow,
    AccountUnitRow,
    AuditEventRow,
    LoginFailureRow,
    WebSessionRow,
)
from insats.db.models.actions import ActionFollowUpRow, ActionRow, ActionTargetRow
from insats.db.models.activities import ActivityParticipantRow, ActivityRow
from insats.db.models.billing import InvoiceLineRow, InvoiceNumberSeriesRow, InvoiceRow
from insats.db.models.claims import MunicipalShareChargeRow
from insats.db.models.clients import ClientRow
from insats.db.models.committee_reports import (
    CommitteeReportRow,
    CommitteeReportTextRow,
    CommitteeReportVersionRow,
)
from insats.db.models.contracts import BillingContractRow
from insats.db.models.cover import CoverBookingRow
from insats.db.models.decisions import DecisionRow
from insats.db.models.economy import BudgetRow, CostEntryRow
from insats.db.models.expenses import CardPurchaseRow, ExpenseClaimRow, PettyCashCardRow
from insats.db.models.imports import ImportBatchRow, ImportSourceRow
from insats.db.models.jobs import JobRow
from insats.db.models.organisation import DepartmentRow, UnitRow
from insats.db.models.planning import PlanningRunRow
from insats.db.models.premises import PremisesRow, PremisesUnitRow, PremisesUseRow
from insats.db.models.providers import ProviderRow
from insats.db.models.retention import RetentionRunRow
from insats.db.models.rules import RuleParameterRow
from insats.db.models.scheduling import (
    AssistanceGroupRow,
    GroupMembershipRow,
    PlannedShiftRow,
    ShiftTemplateRow,
)
from insats.db.models.staff import EmployeeRow, EmployeeSkillRow
from insats.db.models.stays import ClientStayRow
from insats.db.models.time_reports import TimeEntryRow

__all__ = [
    "AbsenceRow",
    "AccountRow",
    "AccountUnitRow",
    "ActionFollowUpRow",
    "ActionRow",
    "ActionTargetRow",
    "ActivityParticipantRow",
    "ActivityRow",
    "AssistanceGroupRow",
    "AuditEventRow",
    "BillingContractRow",
    "BudgetRow",
    "CardPurchaseRow",
    "ClientRow",
    "ClientStayRow",
    "CommitteeReportRow",
    "CommitteeReportTextRow",
    "CommitteeReportVersionRow",
    "CostEntryRow",
    "CoverBookingRow",
    "DecisionRow",
    "DepartmentRow",
    "EmployeeRow",
    "EmployeeSkillRow",
    "ExpenseClaimRow",
    "GroupMembershipRow",
    "ImportBatchRow",
    "ImportSourceRow",
    "InvoiceLineRow",
    "InvoiceNumberSeriesRow",
    "InvoiceRow",
    "JobRow",
    "LoginFailureRow",
    "MunicipalShareChargeRow",
    "PettyCashCardRow",
    "PlannedShiftRow",
    "PlanningRunRow",
    "PremisesRow",
    "PremisesUnitRow",
    "PremisesUseRow",
    "ProviderRow",
    "RetentionRunRow",
    "RuleParameterRow",
    "ShiftTemplateRow",
    "TimeEntryRow",
    "UnitRow",
    "WebSessionRow",
]
