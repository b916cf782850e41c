"""Adapters of the justice service: Mongo repositories and external clients."""
