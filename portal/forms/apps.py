from django.apps import AppConfig


class FormsConfig(AppConfig):
    """Registered for its templates (`forms/page.html`, `forms/_macros.html`): the draft model
    is abstract, so this app has no tables of its own."""

    name = "portal.forms"
    label = "form_engine"
    verbose_name = "Forms: questions, drafts and the page flow"
