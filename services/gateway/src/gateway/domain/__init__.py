"""The gateway domain: pure model and rules, no I/O and no framework imports."""
