"""Every log record carries the id of the request (or task) that caused it.

The id is stamped when the record is created (a record factory installed at start-up), so
every handler sees it: the JSON console handler in production, the text one in development,
and pytest's capture in tests. The filter remains for handlers configured before start-up.
"""

import logging
from typing import Any

from portal.operations.request_context import current_request_id

_installed = False


def install_request_id_record_factory() -> None:
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = current_request_id()
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
