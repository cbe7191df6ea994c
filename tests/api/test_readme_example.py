"""The README's example client, run against a live server so it cannot rot: it sends a death
notification, the regulator asks a question, and it answers it."""

import re
import runpy
import types
from pathlib import Path

import pytest

from portal.notifications import selectors, services
from portal.notifications.models import MessageKind, Notification
from tests.api.conftest import make_key

README = Path(__file__).resolve().parents[2] / "README.md"


def _example_module(environ: dict[str, str], monkeypatch, tmp_path) -> types.SimpleNamespace:
    text = README.read_text()
    start = text.index("An example client (Python, httpx)")
    code = re.search(r"```python\n(.*?)```", text[start:], re.DOTALL)
    assert code is not None
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    script = tmp_path / "readme_example.py"
    script.write_text(code.group(1))
    return types.SimpleNamespace(**runpy.run_path(str(script), run_name="readme_example"))


@pytest.mark.django_db(transaction=True)
def test_the_readme_example_sends_a_notification_and_answers_a_question(
    live_server, api_world, monkeypatch, tmp_path
):
    secret = make_key(api_world.nominated, api_world.provider)
    example = _example_module(
        {"PORTAL_URL": live_server.url, "PORTAL_API_KEY": secret}, monkeypatch, tmp_path
    )
    reference = example.send_death_notification(api_world.provider.pk, api_world.location.pk)
    notification = Notification.objects.get()
    assert notification.reference == reference
    assert example.answer_open_questions(reference, "Nothing to add") == 0
    services.ask_question(notification_id=notification.pk, staff=api_world.staff, body="When?")
    assert example.answer_open_questions(reference, "At 03:10.") == 1
    assert [m.kind for m in selectors.thread(notification)][-1] == MessageKind.ANSWER
