"""The authentication backend: Django's, except that reading the signed-in user also reads
their staff standing (portal/staff/access.py), so staff permissions cost no query of their own."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from portal.accounts.models import User
from portal.staff.access import remember_standing, user_with_standing


class StaffAwareModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = user_with_standing(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_standing(user)
        return user
