"""Adapters of the intake service: Mongo repositories and external clients."""
