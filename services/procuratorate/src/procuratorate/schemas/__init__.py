"""The procuratorate's HTTP schemas, one module per kind of record: the body of each step, and
what reads show (each aggregate without its inbox). Parties are masked except to the staff
member handling the matter."""
