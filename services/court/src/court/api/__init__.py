"""HTTP routes of the court service, one module per matter; in this order in the OpenAPI
document."""

from fastapi import APIRouter

from court.api import confirmations, mediations, mediators, suggestions

router = APIRouter()
for module in (mediations, mediators, confirmations, suggestions):
    router.include_router(module.router)
