"""Reading files from municipal systems: CSV and XLSX readers, column mappings, row errors.

The package knows nothing of the database: reference data (which employees, groups and
clients exist) comes in as plain dictionaries from the service, and parsed rows go back as
plain records or domain objects. Every problem becomes a ``RowError`` (file, row, column,
Swedish reason); nothing stops at the first error.
"""
