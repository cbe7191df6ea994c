"""Snapshots of the dashboard figures, refreshed by the worker (snapshots.py).

Aggregating a million cases on every page view costs too much (bench/casework_dashboard.py),
so the worker's sweeper computes every team's figures, and every team's together, for every
period, every few minutes; the page reads one row. Only the latest snapshots are kept.
"""

from django.db import models

# The team_key of the figures for every team together.
ALL_TEAMS = 0


class DashboardSnapshot(models.Model):
    taken_at = models.DateTimeField(db_index=True)
    # The day the figures were computed for ("today" in their ages and overdue counts).
    taken_on = models.DateField()

    def __str__(self) -> str:
        return f"dashboard snapshot {self.taken_at:%Y-%m-%d %H:%M}"


class SnapshotFigures(models.Model):
    snapshot = models.ForeignKey(DashboardSnapshot, on_delete=models.CASCADE, related_name="+")
    # A team's id, or ALL_TEAMS; not a foreign key, so a removed team's history stays.
    team_key = models.PositiveIntegerField()
    weeks = models.PositiveSmallIntegerField()
    # figures.Figures.to_json()
    figures = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team_key", "weeks", "snapshot"], name="dashboards_one_figures_per_filter"
            )
        ]

    def __str__(self) -> str:
        return f"figures for team {self.team_key}, {self.weeks} weeks"
