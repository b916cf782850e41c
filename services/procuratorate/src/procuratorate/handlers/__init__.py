"""The procuratorate's service layer: keyword-only async functions that load an aggregate, apply
one step of the domain, and save it with the notices the step owes (to the hub, to a
department) in the same commit; one module per aggregate, the commands the API calls and the
event handlers ``consumers`` names."""
