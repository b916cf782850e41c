"""Run platform-sim: ``python -m platform_adapter.sim --port 8017 --rate 0.5``."""

from __future__ import annotations

import argparse

import uvicorn

from platform_adapter.sim.app import create_sim_app
from platform_adapter.sim.config import SimConfig


def parse(argv: list[str] | None = None) -> tuple[argparse.Namespace, SimConfig]:
    """The command line → where to listen and the sim's config."""
    parser = argparse.ArgumentParser(prog="python -m platform_adapter.sim", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8017)
    parser.add_argument("--rate", type=float, default=0.0, help="events per second")
    parser.add_argument("--initial", type=int, default=0, help="events listed at start")
    parser.add_argument("--failure-rate", type=float, default=0.0, help="share of failed calls")
    parser.add_argument("--slow-s", type=float, default=10.0, help="delay of a slow answer")
    parser.add_argument("--duplicate-share", type=float, default=0.1)
    parser.add_argument("--malformed-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--client-id", default="fengqiao")
    parser.add_argument("--client-secret", default="platform-sim-secret")
    parser.add_argument("--webhook-url", default=None)
    parser.add_argument("--webhook-secret", default=None)
    args = parser.parse_args(argv)
    config = SimConfig(
        client_id=args.client_id,
        client_secret=args.client_secret,
        rate=args.rate,
        initial_events=args.initial,
        failure_rate=args.failure_rate,
        slow_s=args.slow_s,
        duplicate_share=args.duplicate_share,
        malformed_share=args.malformed_share,
        seed=args.seed,
        webhook_url=args.webhook_url,
        webhook_secret=args.webhook_secret,
    )
    return args, config


def main(argv: list[str] | None = None) -> None:
    args, config = parse(argv)
    uvicorn.run(create_sim_app(config), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
