"""Everyone the scenarios need, around one HTTP client: the hub's officer, the forces' staff,
the departments' desks and the provincial platform."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from fengqiao_tools.demo.departments import Departments
from fengqiao_tools.demo.forces import Forces
from fengqiao_tools.demo.hub import Hub


@dataclass
class Stage:
    http: httpx.AsyncClient
    hub: Hub
    forces: Forces
    departments: Departments
    timeout_s: float

    @classmethod
    def of(cls, http: httpx.AsyncClient, timeout_s: float) -> Stage:
        return cls(
            http=http,
            hub=Hub(http, timeout_s),
            forces=Forces(http, timeout_s),
            departments=Departments(http, timeout_s),
            timeout_s=timeout_s,
        )
