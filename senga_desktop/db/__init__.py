"""Persistence: SQLAlchemy 2.0 models, engines, units of work and the Alembic runner.

Nothing here imports Qt or the planning engine.
"""
