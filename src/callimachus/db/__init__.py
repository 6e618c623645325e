"""The relational store: tables, engine, unit of work, migrations. SQLite or PostgreSQL."""
