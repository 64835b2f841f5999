"""Reports: charts and documents built from the services' results (no storage)."""
