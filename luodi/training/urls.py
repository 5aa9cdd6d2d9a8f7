from django.urls import path

from luodi.training import manage_views, views

app_name = "training"
urlpatterns = [
    path("", views.class_list, name="class-list"),
    path("plan/", manage_views.class_plan, name="class-plan"),
    path("<int:pk>/", views.class_detail, name="class-detail"),
    path("<int:pk>/manage/", manage_views.class_manage, name="class-manage"),
    path("<int:pk>/status/", manage_views.class_status, name="class-status"),
    path(
        "<int:pk>/enrolments/<int:enrolment_pk>/",
        manage_views.enrolment_action,
        name="enrolment-action",
    ),
    path("<int:pk>/enrolments/bulk/", manage_views.enrolment_bulk, name="enrolment-bulk"),
    path("<int:pk>/nominate/", manage_views.nominate, name="nominate"),
    path("<int:pk>/timetable/edit/", manage_views.timetable_edit, name="timetable-edit"),
    path("<int:pk>/completion/", manage_views.class_completion, name="class-completion"),
    path(
        "<int:pk>/completion/<int:enrolment_pk>/",
        manage_views.result_override,
        name="result-override",
    ),
    path(
        "<int:pk>/completion/corrections/",
        manage_views.attendance_correction,
        name="attendance-correction",
    ),
]
