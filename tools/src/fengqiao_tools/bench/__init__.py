"""`fengqiao bench`: the closed loop through a running platform, per-hop latencies, and the
gateway's cost per event against a bare Kafka pass-through, on this machine."""
