"""The addresses of the "Sondages" workflow screens, under /gestion/sondages/: the list of
surveys (admin_viewsets.py) mounts them in its namespace, beside its own index."""

from __future__ import annotations

from django.urls import path

from agora.surveys import admin_views

app_name = "surveys_admin"
urlpatterns = [
    path("nouveau/", admin_views.survey_add, name="add"),
    path("<int:pk>/", admin_views.survey_build, name="build"),
    path("<int:pk>/reglages/", admin_views.survey_settings, name="settings"),
    path("<int:pk>/publier/", admin_views.survey_publish, name="publish"),
    path("<int:pk>/depublier/", admin_views.survey_unpublish, name="unpublish"),
    path("<int:pk>/fermer/", admin_views.survey_close, name="close"),
    path("<int:pk>/soumettre/", admin_views.survey_submit, name="submit"),
    path("<int:pk>/approbation/", admin_views.survey_review, name="review"),
    path("<int:pk>/sections/nouvelle/", admin_views.section_form, name="section_add"),
    path("<int:pk>/sections/<int:section_id>/", admin_views.section_form, name="section"),
    path(
        "<int:pk>/sections/<int:section_id>/supprimer/",
        admin_views.section_delete,
        name="section_delete",
    ),
    path(
        "<int:pk>/sections/<int:section_id>/deplacer/",
        admin_views.section_move,
        name="section_move",
    ),
    path(
        "<int:pk>/sections/<int:section_id>/questions/nouvelle/",
        admin_views.question_kind,
        name="question_kind",
    ),
    path(
        "<int:pk>/sections/<int:section_id>/questions/nouvelle/<slug:kind>/",
        admin_views.question_add,
        name="question_add",
    ),
    path("<int:pk>/questions/<int:question_id>/", admin_views.question_edit, name="question"),
    path(
        "<int:pk>/questions/<int:question_id>/supprimer/",
        admin_views.question_delete,
        name="question_delete",
    ),
    path(
        "<int:pk>/questions/<int:question_id>/deplacer/",
        admin_views.question_move,
        name="question_move",
    ),
    path("<int:pk>/resultats/", admin_views.survey_results, name="results"),
    path(
        "<int:pk>/resultats/<int:question_id>/reponses/",
        admin_views.open_answers,
        name="answers",
    ),
    path(
        "<int:pk>/reponses/<int:answer_id>/extrait/",
        admin_views.excerpt_publish,
        name="excerpt_publish",
    ),
    path(
        "<int:pk>/extraits/<int:excerpt_id>/retirer/",
        admin_views.excerpt_remove,
        name="excerpt_remove",
    ),
    path("<int:pk>/export.<slug:file_format>", admin_views.raw_export, name="raw_export"),
]
