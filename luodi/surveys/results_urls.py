"""Results, the review of text answers and the evaluation pages (included by ``urls``)."""

from django.urls import path

from luodi.surveys import results_views

urlpatterns = [
    path("<id:pk>/results/", results_views.survey_results, name="results"),
    path("<id:pk>/results/export/", results_views.survey_export, name="results-export"),
    path("answers/<uuid:pk>/review/", results_views.review, name="answer-review"),
    path("my-ratings/", results_views.my_ratings, name="my-ratings"),
    path("my-ratings/<id:pk>/", results_views.my_rating, name="my-rating"),
    path("evaluations/", results_views.evaluations, name="evaluations"),
]
