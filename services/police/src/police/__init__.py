"""公安派出所: the police station: incidents, 1-3-5 minute response, investigation."""
