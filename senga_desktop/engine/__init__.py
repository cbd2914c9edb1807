"""The sequential decision engine: state, travel model, policies and the route solver.

Pure Python: no Qt, no SQLAlchemy (enforced by the import-linter contracts in pyproject.toml).
"""
