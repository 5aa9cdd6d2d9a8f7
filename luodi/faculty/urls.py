from django.urls import path

from luodi.faculty import views

app_name = "faculty"
urlpatterns = [
    path("", views.teacher_list, name="teacher-list"),
    path("teachers.xlsx", views.teacher_list_xlsx, name="teacher-list-xlsx"),
    path("new/", views.teacher_create, name="teacher-create"),
    path("pick/", views.teacher_pick, name="teacher-pick"),
    path("honoraria/", views.honoraria, name="honoraria"),
    path("honoraria.xlsx", views.honoraria_xlsx, name="honoraria-xlsx"),
    path("<id:pk>/", views.teacher_detail, name="teacher-detail"),
    path("<id:pk>/edit/", views.teacher_edit, name="teacher-edit"),
    path("<id:pk>/reviews/", views.teacher_review_add, name="teacher-review-add"),
    path("<id:pk>/unavailable/", views.teacher_unavailability_add, name="teacher-unavailable"),
    path(
        "<id:pk>/unavailable/remove/",
        views.teacher_unavailability_remove,
        name="teacher-unavailable-remove",
    ),
    path("<id:pk>/bank-details/", views.teacher_reveal, name="teacher-reveal"),
]
