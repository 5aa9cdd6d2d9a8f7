from django.urls import path

from luodi.training import (
    courseware_views,
    external_views,
    manage_views,
    reflection_views,
    story_views,
    views,
)

app_name = "training"
urlpatterns = [
    path("", views.class_list, name="class-list"),
    path("pick/", views.class_pick, name="class-pick"),
    path("plan/", manage_views.class_plan, name="class-plan"),
    path("<id:pk>/", views.class_detail, name="class-detail"),
    path(
        "sessions/<id:pk>/courseware/",
        courseware_views.session_courseware,
        name="session-courseware",
    ),
    path("<id:pk>/manage/", manage_views.class_manage, name="class-manage"),
    path("<id:pk>/status/", manage_views.class_status, name="class-status"),
    path(
        "<id:pk>/enrolments/<id:enrolment_pk>/",
        manage_views.enrolment_action,
        name="enrolment-action",
    ),
    path("<id:pk>/enrolments/bulk/", manage_views.enrolment_bulk, name="enrolment-bulk"),
    path(
        "<id:pk>/enrolments/confirm-nominations/",
        manage_views.nominations_confirm,
        name="nominations-confirm",
    ),
    path("<id:pk>/nominate/", manage_views.nominate, name="nominate"),
    path("<id:pk>/timetable/edit/", manage_views.timetable_edit, name="timetable-edit"),
    path("sessions/<id:pk>/edit/", manage_views.session_edit, name="session-edit"),
    path("sessions/<id:pk>/delete/", manage_views.session_delete, name="session-delete"),
    path("<id:pk>/completion/", manage_views.class_completion, name="class-completion"),
    path(
        "<id:pk>/completion/<id:enrolment_pk>/",
        manage_views.result_override,
        name="result-override",
    ),
    path(
        "<int:pk>/completion/corrections/",
        manage_views.attendance_correction,
        name="attendance-correction",
    ),
    # Reflections (培训心得) of a class, for whoever runs or reads it.
    path("<id:pk>/reflections/", reflection_views.class_reflections, name="class-reflections"),
    path(
        "<id:pk>/reflections/booklet/",
        reflection_views.reflections_booklet,
        name="reflections-booklet",
    ),
    path("reflections/<id:pk>/mark/", reflection_views.reflection_mark, name="reflection-mark"),
    path(
        "reflections/<id:pk>/attachment/",
        reflection_views.reflection_attachment,
        name="reflection-attachment",
    ),
    # Application stories (学以致用).
    # Training outside the college (学时认定).
    path("external/", external_views.external_list, name="external-list"),
    path("external/new/", external_views.my_external_new, name="my-external-new"),
    path("external/new/<id:cadre_pk>/", external_views.external_new, name="external-new"),
    path("external/<id:pk>/", external_views.external_detail, name="external-detail"),
    path("external/<id:pk>/decide/", external_views.external_decide, name="external-decide"),
    path("external/<id:pk>/proof/", external_views.external_proof, name="external-proof"),
    path("stories/", story_views.story_list, name="story-list"),
    path("stories/stories.xlsx", story_views.story_list_xlsx, name="story-list-xlsx"),
    path("stories/new/<id:cadre_pk>/", story_views.story_new, name="story-new"),
    path("stories/<id:pk>/", story_views.story_detail, name="story-detail"),
    path("stories/<id:pk>/edit/", story_views.story_edit, name="story-edit"),
    path("stories/<id:pk>/promote/", story_views.story_promote, name="story-promote"),
]
