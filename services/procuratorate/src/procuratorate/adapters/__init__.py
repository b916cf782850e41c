"""Adapters of the procuratorate service: Mongo repositories and external clients."""
