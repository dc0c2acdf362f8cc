"""Storage over SQLAlchemy: SQLite by default, PostgreSQL for clinics."""
