"""The adapter's API response models."""
