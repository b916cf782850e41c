"""Adapters of the gateway service: Mongo repositories and external clients."""
