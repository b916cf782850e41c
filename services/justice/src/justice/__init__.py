"""司法所: the justice office: people's mediation, legal aid, village legal advisers."""
