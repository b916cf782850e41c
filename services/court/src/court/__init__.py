"""人民法院: the court: pre-litigation mediation, judicial confirmation, filing."""
