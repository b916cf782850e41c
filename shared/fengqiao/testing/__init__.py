"""Test fixtures that give tests a real Kafka and a real MongoDB-protocol server."""
