"""The shared workflow: a step the table allows moves the status and goes on the record; a step
it does not allow, or one dated before the last, is refused before anything changes; a service
names its own refusal classes and the base raises those."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import Field

from fengqiao import workflow
from fengqiao.contracts.codes import CodeList
from fengqiao.workflow import Entry, IllegalTransition, TimeOutOfOrder, Workflow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Light(CodeList):
    RED = ("red", "红", "red")
    GREEN = ("green", "绿", "green")
    OFF = ("off", "灭", "off")


TABLE = {
    Light.RED: frozenset({Light.GREEN, Light.OFF}),
    Light.GREEN: frozenset({Light.RED}),
    Light.OFF: frozenset[Light](),
}


class Signal(Workflow[Light]):
    status: Light = Light.RED

    def table(self) -> Mapping[Light, frozenset[Light]]:
        return TABLE


class ServiceError(Exception):
    """A service's own refusals, answered by its own handlers."""


class ServiceIllegal(ServiceError, workflow.IllegalTransition):
    pass


class ServiceLate(ServiceError, workflow.TimeOutOfOrder):
    pass


class Opened(Workflow[Light]):
    """A record that may not be stepped before it was opened, refused with a service's errors."""

    illegal_transition = ServiceIllegal
    time_out_of_order = ServiceLate

    status: Light = Light.RED
    opened_at: datetime

    def table(self) -> Mapping[Light, frozenset[Light]]:
        return TABLE

    def named(self) -> str:
        return self.id

    def began_at(self) -> datetime:
        return self.opened_at


def test_a_step_the_table_allows_moves_and_is_on_the_record() -> None:
    signal = Signal(id="s-1")
    signal.move(Light.GREEN, at=T0, actor="李四", note="go")
    signal.log(at=T0 + timedelta(minutes=1), actor="王五", note="seen")
    assert signal.status is Light.GREEN
    assert signal.history == [
        Entry(at=T0, status=Light.GREEN, actor="李四", note="go"),
        Entry(at=T0 + timedelta(minutes=1), status=Light.GREEN, actor="王五", note="seen"),
    ]
    stored = Signal.model_validate(signal.model_dump(mode="json"))
    assert stored == signal


def test_refused_steps_change_nothing() -> None:
    signal = Signal(id="s-1")
    signal.move(Light.GREEN, at=T0, actor="李四")
    before = signal.model_copy(deep=True)
    with pytest.raises(IllegalTransition, match="Signal s-1 is green; it cannot become off"):
        signal.move(Light.OFF, at=T0 + timedelta(minutes=1), actor="李四")
    with pytest.raises(TimeOutOfOrder, match="Signal s-1: a step at"):
        signal.move(Light.RED, at=T0 - timedelta(seconds=1), actor="李四")
    with pytest.raises(TimeOutOfOrder):
        signal.log(at=T0 - timedelta(seconds=1), actor="李四", note="late")
    with pytest.raises(IllegalTransition, match="Signal s-1 is green; cannot blink"):
        signal.require_in(Light.RED, Light.OFF, to="blink")
    assert signal == before
    signal.require_in(Light.GREEN, to="blink")  # allowed: nothing raised


def test_a_service_names_its_own_refusals_and_when_its_record_began() -> None:
    record = Opened(id="o-1", opened_at=T0)
    with pytest.raises(ServiceLate, match=r"^o-1: a step at"):
        record.log(at=T0 - timedelta(seconds=1), actor="李四", note="before it was opened")
    with pytest.raises(ServiceIllegal, match=r"^o-1 is red; it cannot become red"):
        record.check(Light.RED, at=T0)
    record.check(Light.GREEN, at=T0)  # allowed: nothing raised
    assert record.history == []
    assert issubclass(ServiceIllegal, ServiceError)  # the service's handlers still catch them


class Step(Entry[Light]):
    """A step of a record whose API names its steps itself."""


class Named(Workflow[Light]):
    entry_type = Step

    status: Light = Light.RED
    history: list[Step] = Field(default_factory=list)  # type: ignore[assignment]

    def table(self) -> Mapping[Light, frozenset[Light]]:
        return TABLE


def test_a_record_keeps_its_steps_in_its_own_entry_class_with_the_same_fields() -> None:
    record = Named(id="n-1")
    record.move(Light.GREEN, at=T0, actor="clerk", note="opened")
    record.log(at=T0 + timedelta(minutes=1), actor="clerk", note="seen")

    assert [type(step) for step in record.history] == [Step, Step]
    stored = record.model_dump(mode="json")["history"]
    assert stored[0] == {
        "at": "2026-03-02T09:00:00Z",
        "status": "green",
        "actor": "clerk",
        "note": "opened",
    }
    assert Named.model_validate(record.model_dump()).history == record.history
