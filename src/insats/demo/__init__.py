"""A deterministic generator of a realistic demo department (pure Python).

Usage::

    dept = generate_department(seed=2026)
    counts(dept), content_hash(dept)

Problems planted for the follow-up features to find (seed 001's action plan):

- scheduled beyond granted: four municipally performed SFB cases per cluster have schedule
  structures 5–15 % above their grant (``scheduled_over_granted``);
- unreported time: two client groups leave 10–15 % of their shifts without a time entry,
  0.5 % elsewhere (``DemoDepartment.unreported_group_ids``, ``unreported_shift_ids``);
- sick leave about 8 % with frequent absentees and long spells; cover by pool substitutes,
  else mertid/övertid by colleagues (time entries with a comment);
- OB claimed by two anhörigvårdare on PAN (``DemoDepartment.ob_claiming_carer_ids``);
- korttidshem Kullingsgården: no scheduled breaks and three staff per evening;
- home-care-like LSS cases: three to five short visits a day, run by the resursenhet;
- five double decisions (personal assistance and korttidsvistelse);
- a private provider (P06) whose IVO permit lapsed 2025-09-01, with basansvar episodes;
- premises with low use, petty-cash card spending, school taxi (skolskjuts) at KTS;
- APT every six weeks for 180 minutes per unit, trainings in large groups, staff days;
- a deficit of 10.5–12.5 Mkr a year against budget (``department_result``).
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
