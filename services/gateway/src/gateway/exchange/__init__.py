"""The exchange: the router that judges and forwards every agency's events, and the webhook
deliveries to agencies without Kafka."""
