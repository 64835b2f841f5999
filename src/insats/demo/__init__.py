"""A deterministic generator of a realistic demo department (pure Python).

Usage::

    dept = generate_department(seed=2026)
    counts(dept), content_hash(dept)
"""

from insats.demo.generator import DemoDepartment, content_hash, counts, generate_department
from insats.demo.summary import (
    department_result,
    scheduled_over_granted,
    sick_leave_rate,
    unreported_shift_ids,
)

__all__ = [
    "DemoDepartment",
    "content_hash",
    "counts",
    "department_result",
    "generate_department",
    "scheduled_over_granted",
    "sick_leave_rate",
    "unreported_shift_ids",
]
