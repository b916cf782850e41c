"""The hub's API request and response models."""
