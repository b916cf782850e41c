"""Build the procuratorate's dependencies once per process from its settings and runtime."""

from __future__ import annotations

from fengqiao.runtime import Runtime
from procuratorate.adapters.store import Stores
from procuratorate.handlers import Procuratorate
from procuratorate.settings import ProcuratorateSettings


def procuratorate_of(runtime: Runtime) -> Procuratorate:
    proc = runtime.state.get("procuratorate")
    if isinstance(proc, Procuratorate):
        return proc
    proc = Procuratorate(
        stores=Stores(runtime.db),
        agency=runtime.settings.agency_id,
        settings=ProcuratorateSettings(),
    )
    runtime.state["procuratorate"] = proc
    return proc
