"""The grid's HTTP request and response models, one module per aggregate."""
