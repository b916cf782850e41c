"""The hub's handlers: the commands the API calls and the event handlers consumers.py names."""
