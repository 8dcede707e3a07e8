"""The moment a row records (when it was made, when it last changed), read from the one clock.

Django's ``auto_now`` and ``auto_now_add`` read the machine's time themselves; ``Moment`` reads
``trellis.lib.clock``, as every rule that depends on the date does, so a frozen clock (the tests,
a demonstration) freezes these too, and the day a page writes beside a moment is the clock's.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from trellis.lib import clock


class Moment(models.DateTimeField):
    """Set to ``clock.now()`` when the row is created; with ``on_save``, whenever it is saved (not
    by a queryset's ``update``, which writes only what it is given). Not edited by hand."""

    def __init__(self, *args: Any, on_save: bool = False, **kwargs: Any):
        self.on_save = on_save
        kwargs["editable"] = False
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        kwargs.pop("blank", None)
        if self.on_save:
            kwargs["on_save"] = True
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if add or self.on_save:
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)
