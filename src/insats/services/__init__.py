"""Use cases, one transaction each; uow.py is the only place that commits."""
