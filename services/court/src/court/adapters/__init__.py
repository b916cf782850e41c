"""Adapters of the court service: Mongo repositories and external clients."""
