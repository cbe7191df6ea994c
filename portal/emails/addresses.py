"""Email addresses as the portal compares them."""


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively everywhere in the portal."""
    return email.strip().lower()
