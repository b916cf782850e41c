"""Deployment renderings of the platform's own rules (Strimzi resources from the registry)."""
