"""Load the agency registry: a YAML file, or the default one shipped with the gateway."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from gateway.domain.registry import Registry, parse_registry


def load_registry(path: Path | None = None) -> Registry:
    if path is None:
        text = resources.files("gateway.domain").joinpath("agencies.yaml").read_text("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return parse_registry(yaml.safe_load(text))
