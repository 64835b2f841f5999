"""Pure domain model: entities, value types and rules. Imports no framework."""
