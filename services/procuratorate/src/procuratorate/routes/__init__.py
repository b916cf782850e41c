"""The procuratorate's HTTP routes, one module per kind of record; ``api`` gathers them."""
