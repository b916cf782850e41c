"""`fengqiao demo` (演示): the seeds' scenarios played against a running platform, through the
public HTTP APIs and the exchange only, each to its end state, with where to look."""
