"""The `fengqiao` command line."""
