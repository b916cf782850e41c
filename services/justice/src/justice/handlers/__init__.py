"""The office's handlers, one module per aggregate: the commands the API calls and the event
handlers ``consumers.wiring`` names."""
