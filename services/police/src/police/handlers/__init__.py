"""The station's service layer: one module per aggregate, async functions that load, apply one
step of the domain and save with the notices the step sends, in one commit."""
