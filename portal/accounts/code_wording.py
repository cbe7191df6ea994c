"""What the pages say when an emailed code was not sent because one was asked for too
recently or too often. The limits apply to every address alike, so saying this reveals
nothing about whether the register knows the address."""

from portal.accounts.services.accounts import CodeRequest, CodeRequestOutcome


def minutes(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"


def when_to_ask_again(result: CodeRequest) -> str:
    """For the "request a new code" page."""
    wait = minutes(result.retry_after)
    if result.outcome is CodeRequestOutcome.TOO_SOON:
        return f"You can request a new code in {wait}"
    return f"You have requested too many codes. You can request a new code in {wait}"


def no_new_email(email: str, result: CodeRequest) -> str:
    """For the code page reached by starting again with the same address."""
    why = (
        "you asked for one less than a minute ago"
        if result.outcome is CodeRequestOutcome.TOO_SOON
        else "you have asked for too many codes"
    )
    return (
        f"We have not sent another email to {email} because {why}. Use the code in the "
        f"email we sent before, or request a new code in {minutes(result.retry_after)}."
    )
