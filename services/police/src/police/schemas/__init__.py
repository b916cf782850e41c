"""The station's HTTP request and response models, one module per aggregate."""
