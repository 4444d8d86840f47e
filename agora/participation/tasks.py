"""Background work of the participation module. Thin: each task calls its service.

`manage.py run_scheduled` runs the same work every morning (the job "participation-emails"
of agora/participation/jobs.py, docs/operations.md); these tasks let a scheduler that
enqueues Django tasks do it instead.
"""

from django.tasks import task

from agora.participation import accountability, followers, reminders


@task
def send_project_digests() -> int:
    """The followers' digest of every published project."""
    return followers.send_digests()


@task
def send_feedback_reminders() -> int:
    """The reminders to project teams that still owe residents their feedback report."""
    return reminders.send_feedback_reminders()


@task
def publish_completed_accountability_reports() -> int:
    """Reports published by a workflow or a schedule, which Wagtail's hook does not see."""
    return accountability.publish_completed_reports()
