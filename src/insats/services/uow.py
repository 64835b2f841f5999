"""Unit of work: one transaction per use case, and the only place that commits."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from insats.db.repositories._base import StaleVersionError
from insats.db.repositories.absence import AbsenceRepository
from insats.db.repositories.access import (
    AccountRepository,
    LoginFailureRepository,
    WebSessionRepository,
)
from insats.db.repositories.actions import ActionRepository
from insats.db.repositories.activities import ActivityRepository
from insats.db.repositories.audit import AuditRepository
from insats.db.repositories.billing import InvoiceRepository
from insats.db.repositories.claims import MunicipalShareRepository
from insats.db.repositories.clients import ClientRepository
from insats.db.repositories.committee_reports import CommitteeReportRepository
from insats.db.repositories.contracts import BillingContractRepository
from insats.db.repositories.decisions import DecisionRepository
from insats.db.repositories.economy import EconomyRepository
from insats.db.repositories.expenses import ExpenseRepository
from insats.db.repositories.imports import ImportRepository
from insats.db.repositories.jobs import JobRepository
from insats.db.repositories.organisation import OrganisationRepository
from insats.db.repositories.planning import PlanningRunRepository
from insats.db.repositories.premises import PremisesRepository
from insats.db.repositories.providers import ProviderRepository
from insats.db.repositories.retention import RetentionRepository
from insats.db.repositories.rules import RuleParameterRepository
from insats.db.repositories.scheduling import SchedulingRepository
from insats.db.repositories.staff import EmployeeRepository
from insats.db.repositories.stays import ClientStayRepository
from insats.db.repositories.time_reports import TimeEntryRepository
from insats.db.shift_guards import refusing_overlaps


class UnitOfWork:
    """A session with one repository per feature.

    Use as ``with UnitOfWork(session_factory) as uow: ...; uow.commit()``. Leaving the
    block without ``commit()`` (or with an exception) rolls everything back.
    ``uow.session`` is there for read-side queries such as
    ``insats.db.repositories.summary.unit_headlines(uow.session, ...)``.
    """

    session: Session
    organisation: OrganisationRepository
    clients: ClientRepository
    providers: ProviderRepository
    decisions: DecisionRepository
    staff: EmployeeRepository
    scheduling: SchedulingRepository
    time_reports: TimeEntryRepository
    absences: AbsenceRepository
    activities: ActivityRepository
    economy: EconomyRepository
    actions: ActionRepository
    committee_reports: CommitteeReportRepository
    billing: InvoiceRepository
    contracts: BillingContractRepository
    rules: RuleParameterRepository
    planning: PlanningRunRepository
    stays: ClientStayRepository
    shares: MunicipalShareRepository
    imports: ImportRepository
    jobs: JobRepository
    accounts: AccountRepository
    web_sessions: WebSessionRepository
    login_failures: LoginFailureRepository
    audit: AuditRepository
    premises: PremisesRepository
    expenses: ExpenseRepository
    retention: RetentionRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._committed = False

    def __enter__(self) -> UnitOfWork:
        session = self._session_factory()
        self.session = session
        self._committed = False
        self.organisation = OrganisationRepository(session)
        self.clients = ClientRepository(session)
        self.providers = ProviderRepository(session)
        self.decisions = DecisionRepository(session)
        self.staff = EmployeeRepository(session)
        self.scheduling = SchedulingRepository(session)
        self.time_reports = TimeEntryRepository(session)
        self.absences = AbsenceRepository(session)
        self.activities = ActivityRepository(session)
        self.economy = EconomyRepository(session)
        self.actions = ActionRepository(session)
        self.committee_reports = CommitteeReportRepository(session)
        self.billing = InvoiceRepository(session)
        self.contracts = BillingContractRepository(session)
        self.rules = RuleParameterRepository(session)
        self.planning = PlanningRunRepository(session)
        self.stays = ClientStayRepository(session)
        self.shares = MunicipalShareRepository(session)
        self.imports = ImportRepository(session)
        self.jobs = JobRepository(session)
        self.accounts = AccountRepository(session)
        self.web_sessions = WebSessionRepository(session)
        self.login_failures = LoginFailureRepository(session)
        self.audit = AuditRepository(session)
        self.premises = PremisesRepository(session)
        self.expenses = ExpenseRepository(session)
        self.retention = RetentionRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is not None or not self._committed:
                self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        """Commit the transaction; a concurrent change surfaces as StaleVersionError, an
        overlapping shift refused by the database as ShiftOverlapError."""
        try:
            with refusing_overlaps():
                self.session.commit()
        except StaleDataError as error:
            self.session.rollback()
            raise StaleVersionError("Posten", "") from error
        self._committed = True

    def rollback(self) -> None:
        self.session.rollback()
        self._committed = False
