"""Fengqiao (枫桥): the platform library shared by the hub and every force's service."""

__version__ = "0.1.0"
