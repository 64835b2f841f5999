"""Storage adapter: SQLAlchemy models, repositories, sessions and Alembic migrations.

May import ``insats.domain``; never services, web, cli, config or the optimizer.
"""
