"""Fengqiao tools: the `fengqiao` command, the demo, the bench, local Kafka and FerretDB, and the
Strimzi rendering. A developer's and an operator's package: no service image installs it."""
