"""Writes of training operations: each service takes the acting user (``by=``), checks the
rules, changes the records in one transaction and records an audit event."""
