"""The thread of something sent (a notification, an application): an abstract message a
client subclasses, adding what it is about and its kinds of message."""

from typing import Any, Self

from django.conf import settings
from django.db import models

from portal.access import Account


class ThreadMessage(models.Model):
    """One entry in the thread of something sent (a notification, an application): the
    client adds what it is about, its `kind` and anything of its own. A request that wants an
    answer is `answered` once the reply (`in_reply_to` it) arrives."""

    body = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    answered = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def reply(self, *, kind: str, body: str, author: Account, **about: Any) -> Self:
        """Answer this message (a question, a request for information), which is answered
        from then on. For the client's service, which has locked it, checked that it is not
        answered yet, and gives what the reply is `about` (its notification, application)."""
        answer = type(self)._default_manager.create(
            kind=kind, body=body, author=author, in_reply_to=self, **about
        )
        self.answered = True
        self.save(update_fields=["answered"])
        return answer
