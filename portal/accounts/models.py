from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively everywhere in the portal."""
    return email.strip().lower()


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email=normalise_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Identified by one email address, unique whatever its case."""

    # Stored lower-cased (see save), so this unique index is case-insensitive.
    email = models.EmailField(max_length=320, unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    # The registered person this account belongs to, if any (delegated users have none).
    # Access derives from that person's live roles plus delegations.
    person = models.OneToOneField(
        "register.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    is_active = models.BooleanField(default=True)
    # Regulator staff (inspectors, registration assessors) use the back office.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)
