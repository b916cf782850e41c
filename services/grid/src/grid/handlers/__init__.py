"""The grid's service layer: one module per aggregate, keyword-only async functions that load,
apply one step of the domain and save with the events the step sends, in one commit."""
