"""Where the infrastructure lives and which versions it runs."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from fengqiao.settings import fengqiao_home


class InfraConfig(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FENGQIAO_INFRA_", extra="ignore", populate_by_name=True
    )

    kafka_version: str = "4.1.1"
    log4j_version: str = "2.24.3"
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    kafka_heap: str = "1g"
    ferretdb_version: str = "v1.24.2"
    mongo_port: int = 27017
    cache_dir: Path = Field(default_factory=lambda: Path(user_cache_dir("fengqiao")))
    home: Path = Field(default_factory=fengqiao_home, validation_alias="FENGQIAO_HOME")
    start_timeout_s: float = 120.0

    @property
    def kafka_bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def mongo_uri(self) -> str:
        return f"mongodb://127.0.0.1:{self.mongo_port}"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def run(self) -> Path:
        return self.home / "run"
