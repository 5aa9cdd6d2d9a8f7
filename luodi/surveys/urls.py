from django.urls import path

from luodi.surveys import results_urls, views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/questions/", views.question_add, name="question-add"),
    path(
        "<id:pk>/questions/<id:question_id>/delete/",
        views.question_delete,
        name="question-delete",
    ),
    path("<id:pk>/publish/", views.publish, name="publish"),
    path("<id:pk>/close/", views.close, name="close"),
    path("<id:pk>/codes/", views.codes, name="codes"),
    # Respondents: a trainee's phone, or anyone with a one-time code.
    path("<id:pk>/answer/", views.answer, name="answer"),
    path("<id:pk>/code/", views.code, name="code"),
    # The classroom screen at the end of a session.
    path("sessions/<id:pk>/evaluation/", views.session_evaluation, name="session-evaluation"),
    path("sessions/<id:pk>/screen/", views.screen, name="screen"),
    *results_urls.urlpatterns,  # results, reviews, ratings and the evaluations overview
]
