"""The HTTP side every service shares: app factory, health and readiness, problem details."""

from fengqiao.web.app import create_service_app
from fengqiao.web.problems import Problem, problem_response

__all__ = ["Problem", "create_service_app", "problem_response"]
