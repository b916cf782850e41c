"""Adapters of the police service: Mongo repositories and external clients."""
