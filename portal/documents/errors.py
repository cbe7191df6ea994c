"""Why document services refuse a request: stable codes for the API (portal.errors)."""

from portal.errors import ErrorCode, ServiceError


class DocumentError(ErrorCode):
    EMPTY = "documents.empty"
    TOO_BIG = "documents.too_big"
    WRONG_TYPE = "documents.wrong_type"
    TOO_MANY = "documents.too_many"
    NAME_UNUSABLE = "documents.name_unusable"
    NOT_UPLOADED = "documents.not_uploaded"
    STILL_BEING_CHECKED = "documents.still_being_checked"
    CONTAINS_VIRUS = "documents.contains_virus"
    CHECK_FAILED = "documents.check_failed"
    MISSING = "documents.missing"


class DocumentRefused(ServiceError):
    """An upload, removal or download the documents services will not do."""
