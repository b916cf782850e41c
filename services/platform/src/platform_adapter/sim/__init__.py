"""platform-sim (粤平安模拟平台): a stand-in for the provincial platform, imperfect on purpose.

It implements docs/platform-contract.md over HTTP for demos and tests: events at a set rate,
repeats of the same incident from another channel, malformed records, injected 503s and slow
answers, and every status and closure pushed to it kept for inspection (``app.state.sim``).
"""

from platform_adapter.sim.app import create_sim_app
from platform_adapter.sim.config import SimConfig
from platform_adapter.sim.state import Sim

__all__ = ["Sim", "SimConfig", "create_sim_app"]
