"""The gateway's handlers: the commands its HTTP edge calls, and the events it takes as an
agency in its own right."""
