"""Play the scenarios (演示剧本) at once against the running platform, each bounded in time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from fengqiao_tools.demo import scenarios_forces, scenarios_mediation, scenarios_orders
from fengqiao_tools.demo.client import DemoError
from fengqiao_tools.demo.result import Result
from fengqiao_tools.demo.stage import Stage

Play = Callable[[Stage, Result], Awaitable[None]]
CLOSED = "closed (resolved)"


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    expected: str  # the end state it must reach
    play: Play


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("crabs", "青蟹被盗 crabs stolen", CLOSED, scenarios_forces.crabs_stolen),
    Scenario(
        "rice-insurance",
        "四村水稻保险集体访 rice-insurance group petition",
        "followed_up (resolved)",
        scenarios_orders.rice_insurance,
    ),
    Scenario(
        "collective-income",
        "集体收益分配13年信访 collective-income petition",
        CLOSED,
        scenarios_mediation.collective_income,
    ),
    Scenario(
        "oyster-rafts", "海上非法蚝排 illegal oyster rafts", CLOSED, scenarios_orders.oyster_rafts
    ),
    Scenario(
        "land-contract",
        "土地承包纠纷 land-contract dispute",
        CLOSED,
        scenarios_mediation.land_contract,
    ),
    Scenario("wage", "欠薪纠纷 wage dispute", CLOSED, scenarios_forces.wage_dispute),
    Scenario(
        "civil-debt",
        "民间借贷 civil debt (filed)",
        "closed (referred)",
        scenarios_forces.civil_debt,
    ),
    Scenario(
        "platform-repeat",
        "粤平安重复上报 reported twice via Yue-Pingan",
        "one case, linked",
        scenarios_orders.platform_repeat,
    ),
)


async def play_all(keys: list[str] | None = None, *, timeout_s: float = 240.0) -> list[Result]:
    """Every scenario (or those named), concurrently; each result says how far it got."""
    chosen = [s for s in SCENARIOS if not keys or s.key in keys]
    async with httpx.AsyncClient(timeout=30.0) as http:
        stage = Stage.of(http, timeout_s)
        return list(await asyncio.gather(*(_played(stage, s, timeout_s) for s in chosen)))


async def _played(stage: Stage, scenario: Scenario, timeout_s: float) -> Result:
    result = Result(scenario.key, scenario.title, scenario.expected)
    try:
        # The scenario's own waits are bounded too; this also bounds a hung call.
        await asyncio.wait_for(scenario.play(stage, result), timeout=timeout_s * 2)
    except DemoError as error:
        result.error = str(error)
    except TimeoutError:
        result.error = f"did not finish within {timeout_s * 2:.0f} s"
    except Exception as error:  # one broken scenario must not hide the others' results
        result.error = f"{type(error).__name__}: {error}"
    return result
