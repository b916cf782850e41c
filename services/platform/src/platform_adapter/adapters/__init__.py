"""Adapters of the platform service: Mongo repositories and external clients."""
