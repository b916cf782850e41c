"""Errors of the storage layer that callers (HTTP, consumers) translate for their clients."""


class ConcurrencyError(Exception):
    """Someone else saved the aggregate since it was read; reload and retry."""


class NotFound(Exception):
    """No aggregate has that id."""
