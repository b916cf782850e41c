"""Adapters of the gateway: Mongo stores, the audit log, key derivation and clients."""
