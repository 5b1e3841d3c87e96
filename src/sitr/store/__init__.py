"""Storage: SQLAlchemy models, the hash-chained event log, field encryption, migrations."""
