"""Throughput of the gateway's router on the real broker, against a bare pass-through.

    uv run fengqiao infra up && uv run python bench/exchange.py [N]

Sends N signed case.transferred events to an agency's out topic, then measures (1) the router
— decode, schema, policy, signature check, countersignature, audit chain, receipt, all in
transactions of `router_batch` events — and (2) a plain aiokafka consume-and-produce of the same
records, in events per second, and prints the router's cost per event as a ratio. A benchmark,
not a test: it asserts nothing about speed. `fengqiao bench` runs the same measurement
(fengqiao_tools.bench.exchange_cost) beside the closed loop through a running platform.
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import sys

from fengqiao_tools.bench.exchange_cost import measure

from fengqiao.settings import InfraSettings

# aiokafka warns about the run's topics once they are deleted; the figures are what matter.
logging.getLogger("aiokafka").setLevel(logging.CRITICAL)


async def main(n: int) -> None:
    figures = await measure(InfraSettings().kafka, n)
    figures["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
