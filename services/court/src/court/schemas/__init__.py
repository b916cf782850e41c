"""The court's HTTP schemas, one module per aggregate."""
