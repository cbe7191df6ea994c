"""A status field that cannot be assigned except by a transition.

`obj.status = "closed"` raises `DirectStatusChange`: the status of a row with a lifecycle
changes only through `portal.workflow.services.transition`, which checks the lifecycle,
writes the status-change row and the audit event. Loading, creating (`Model(status=...)`)
and `refresh_from_db` still set it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.db.models.query_utils import DeferredAttribute

if TYPE_CHECKING:
    from portal.workflow.lifecycle import Lifecycle

_WRITABLE = "_workflow_status_writable"


class DirectStatusChange(Exception):
    """Code assigned a lifecycle's status field instead of calling `transition`."""


@contextmanager
def status_writable(row: models.Model) -> Iterator[None]:
    setattr(row, _WRITABLE, True)
    try:
        yield
    finally:
        delattr(row, _WRITABLE)


class _GuardedStatus(DeferredAttribute):
    def __set__(self, instance: Any, value: Any) -> None:
        name = self.field.attname
        current = instance.__dict__.get(name, value)
        if current != value and not getattr(instance, _WRITABLE, False):
            raise DirectStatusChange(
                f"{type(instance).__name__}.{name} changes only through "
                "portal.workflow.services.transition"
            )
        instance.__dict__[name] = value


class StatusField(models.CharField):
    descriptor_class = _GuardedStatus


class LifecycleModel(models.Model):
    """A model whose `status` (a `StatusField`) follows its `lifecycle`."""

    lifecycle: ClassVar["Lifecycle"]

    class Meta:
        abstract = True

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        with status_writable(self):
            super().refresh_from_db(*args, **kwargs)
