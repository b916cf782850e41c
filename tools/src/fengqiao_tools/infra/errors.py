"""Errors a person can act on: what went wrong and what to do about it."""


class InfraError(Exception):
    def __init__(self, problem: str, remedy: str = "") -> None:
        super().__init__(f"{problem}\n{remedy}".strip())
        self.problem = problem
        self.remedy = remedy
