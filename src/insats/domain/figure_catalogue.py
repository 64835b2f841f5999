"""The key figures the department follows, each defined once.

A figure's code is its stable name in the database (``action_targets.figure_code``),
in committee reports and in exports; docs/key-figures.md gives each one's formula,
source tables, unit and how small counts are suppressed.
"""

from __future__ import annotations

from enum import StrEnum


class FigureCode(StrEnum):
    # economy
    BUDGET = "budget_kr"  # budgeted net cost
    OUTCOME = "outcome_kr"  # booked net cost
    BUDGET_DEVIATION = "budget_deviation_kr"  # budget minus outcome (negative = deficit)
    YEAR_END_FORECAST = "year_end_forecast_kr"  # forecast net cost for the whole year
    COST_PER_CLIENT = "cost_per_client_kr"  # KPB: net cost per client
    NET_COST_PER_HOUR = "net_cost_per_performed_hour_kr"
    # hours against decisions
    GRANTED_HOURS = "granted_hours"
    PERFORMED_HOURS = "performed_hours"
    HOURS_BEYOND_GRANTED = "hours_beyond_granted"
    COST_BEYOND_GRANTED = "cost_beyond_granted_kr"
    # revenue
    FK_REVENUE_BILLED = "fk_revenue_billed_kr"
    FK_REVENUE_AT_RISK = "fk_revenue_at_risk_kr"
    # staffing
    OVERTIME_HOURS = "overtime_hours"
    OVERTIME_COST = "overtime_cost_kr"
    SUBSTITUTE_HOURS = "substitute_hours"
    SUBSTITUTE_COST = "substitute_cost_kr"
    SICK_RATE_SHORT = "sick_rate_short_pct"  # days 1–14
    SICK_RATE_LONG = "sick_rate_long_pct"  # day 15 on
    MEETING_TRAINING_HOURS = "meeting_training_hours"
    MEETING_TRAINING_COST = "meeting_training_cost_kr"
    # quality
    ASSISTANTS_PER_CLIENT = "assistants_per_client"  # continuity, distinct per month
    # comparable with Kolada
    CLIENTS_ON_1_OCTOBER = "clients_on_1_october"
    KOLADA_N28006 = "kolada_n28006_kr_per_inhabitant"
