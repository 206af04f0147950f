"""Waiting for something to happen, with a deadline: never a bare sleep."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from celery import states
from celery.result import AsyncResult
from celery.signals import before_task_publish, task_postrun


def wait_for(condition: Any, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@dataclass
class Run:
    name: str
    state: str
    retval: Any
    children: list[str] = field(default_factory=list)  # ids of the tasks this run sent


class WorkerTasks:
    """The tasks sent and finished while open, to wait on a task's completion instead of sleeping.

    Use it with the ``real_worker`` fixture: the test, the code under test and
    the worker's threads share this process, so ``before_task_publish`` sees
    every task sent and ``task_postrun`` every task run. A negative ("no second
    email") is asserted only after the work that could have broken it is done.
    """

    def __init__(self) -> None:
        self.published: list[str] = []
        self.runs: dict[str, Run] = {}

    def __enter__(self) -> WorkerTasks:
        before_task_publish.connect(self._on_publish, weak=False)
        task_postrun.connect(self._on_postrun, weak=False)
        return self

    def __exit__(self, *exc: object) -> None:
        task_postrun.disconnect(self._on_postrun)
        before_task_publish.disconnect(self._on_publish)

    def _on_publish(self, headers: dict[str, Any] | None = None, **_: Any) -> None:
        self.published.append((headers or {})["id"])

    def _on_postrun(self, task_id: str, task: Any, retval: Any = None, state: str = "", **_: Any) -> None:
        children = [child.id for child in task.request.children or [] if child.id != task_id]
        self.runs[task_id] = Run(name=task.name, state=state, retval=retval, children=children)

    def done(self, task_id: str) -> bool:
        """The task ran to an end (not a pending retry), and so did every task it sent."""
        run = self.runs.get(task_id)
        return run is not None and run.state != states.RETRY and all(self.done(child) for child in run.children)

    def wait(self, result: AsyncResult, seconds: float = 30) -> bool:
        return wait_for(lambda: self.done(result.id), seconds)

    def wait_idle(self, seconds: float = 30) -> bool:
        """Some task was sent, and every task sent so far is done: the worker has nothing left that could act.

        A task records what it sends before its own run is recorded, so once all are done nothing more comes.
        """
        return wait_for(lambda: bool(self.published) and all(self.done(i) for i in list(self.published)), seconds)

    def finished(self, name: str) -> list[Run]:
        return [run for run in list(self.runs.values()) if run.name == name]
