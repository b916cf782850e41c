"""The court's service layer: the commands the API calls and the event handlers consumers.py
names, one module per aggregate."""
