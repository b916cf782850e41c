"""Adapters of the grid service: Mongo repositories and external clients."""
