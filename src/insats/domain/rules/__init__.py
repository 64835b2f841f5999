"""Dated rule parameters (rates, limits) with their sources."""

from insats.domain.rules.parameters import (
    Certainty,
    ParameterUnit,
    RuleBook,
    RuleParameter,
    bundled_parameters,
)

__all__ = ["Certainty", "ParameterUnit", "RuleBook", "RuleParameter", "bundled_parameters"]
