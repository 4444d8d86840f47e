"""`manage.py bench_ideas` fills a project's idea box for the benchmark: the number of ideas
asked for, quickly, with rows behind every counter; never in production."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from agora.ideas.models import Comment, Idea, Reaction, StatusChange, Visibility
from agora.participation.models import ProjectPage

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]

# Bulk inserts split into more batches past the engine's limit on query parameters.
MORE_BATCHES = 6


def bench_ideas(*args: str) -> str:
    out = io.StringIO()
    call_command("bench_ideas", *args, stdout=out)
    return out.getvalue()


def bench_ideas_counting_queries(count: int) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        output = bench_ideas("--project", "parc-riverain", "--count", str(count))
    return output, len(queries)


def test_it_adds_the_requested_number_of_ideas_in_batches(project: ProjectPage) -> None:
    """Ten times more ideas cost no more round trips to the database than a handful more
    batches: the rows go in with bulk inserts, never one query per idea."""
    _, queries_for_30 = bench_ideas_counting_queries(30)
    Idea.objects.all().delete()

    output, queries_for_300 = bench_ideas_counting_queries(300)

    assert queries_for_300 <= queries_for_30 + MORE_BATCHES
    ideas = Idea.objects.filter(project=project)
    assert ideas.count() == 300
    assert "Added 300 ideas" in output
    phase = project.phases.get()
    assert set(ideas.values_list("phase_key", flat=True)) == {phase.translation_key}
    assert ideas.filter(visibility=Visibility.PUBLISHED).count() >= 270


def test_the_ideas_look_like_residents_ideas(project: ProjectPage) -> None:
    bench_ideas("--project", "parc-riverain", "--count", "200")
    ideas = list(Idea.objects.filter(project=project))

    assert all(10 <= len(idea.title) <= 140 for idea in ideas)
    assert max(len(idea.description) for idea in ideas) > 300
    assert len({idea.title for idea in ideas}) > 100
    assert any(idea.author_name == "" for idea in ideas)
    assert any(idea.author_name for idea in ideas)
    assert len({idea.created_at.date() for idea in ideas}) > 3


def test_every_counter_matches_its_rows(project: ProjectPage) -> None:
    bench_ideas("--project", "parc-riverain", "--count", "200")

    ideas = Idea.objects.filter(project=project).annotate(
        supports=Count("reactions", filter=Q(reactions__kind=Reaction.Kind.SUPPORT), distinct=True),
        disagreements=Count(
            "reactions", filter=Q(reactions__kind=Reaction.Kind.DISAGREE), distinct=True
        ),
        readable=Count(
            "comments", filter=Q(comments__visibility=Visibility.PUBLISHED), distinct=True
        ),
    )
    for idea in ideas:
        assert idea.support_count == idea.supports
        assert idea.disagree_count == idea.disagreements
        assert idea.comment_count == idea.readable
    assert Reaction.objects.exists()
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert all(
        reply.parent.parent_id is None and reply.parent.idea_id == reply.idea_id
        for reply in Comment.objects.filter(parent__isnull=False).select_related("parent")
    )
    answered = Idea.objects.exclude(status="received")
    assert StatusChange.objects.count() == answered.count()


def test_the_same_seed_gives_the_same_ideas(project: ProjectPage) -> None:
    bench_ideas("--project", "parc-riverain", "--count", "20", "--seed", "7")
    first = list(Idea.objects.order_by("pk").values_list("title", "support_count"))
    Idea.objects.all().delete()

    bench_ideas("--project", "parc-riverain", "--count", "20", "--seed", "7")

    assert list(Idea.objects.order_by("pk").values_list("title", "support_count")) == first


def test_an_unknown_project_is_refused(project: ProjectPage) -> None:
    with pytest.raises(CommandError, match="no project"):
        bench_ideas("--project", "nulle-part", "--count", "5")

    assert not Idea.objects.exists()


def test_it_refuses_to_run_in_production(project: ProjectPage, settings: Settings) -> None:
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        bench_ideas("--project", "parc-riverain", "--count", "5")

    assert not Idea.objects.exists()
