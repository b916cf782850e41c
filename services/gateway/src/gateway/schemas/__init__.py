"""The HTTP edge's request and response models, one module per resource."""
