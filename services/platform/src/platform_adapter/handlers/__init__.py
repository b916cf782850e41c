"""The adapter's handlers: what becomes of each upstream event, each push to the platform and
each answer of the hub."""
