from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "portal.workflow"
    verbose_name = "Workflow: lifecycles, status changes and working-day clocks"
