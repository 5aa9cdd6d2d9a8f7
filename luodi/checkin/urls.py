from django.urls import path

from luodi.checkin import account_views, export_views, views

app_name = "checkin"
urlpatterns = [
    # The trainee's phone pages.
    path("", views.home, name="home"),
    path("s/<id:session_id>/", views.my_session, name="my-session"),
    path("s/<id:session_id>/scanned/", views.scanned, name="scanned"),
    path("s/<id:session_id>/<str:token>/", views.check_in, name="check-in"),
    path("my/<id:enrolment_id>/leave/", views.leave_new, name="leave-new"),
    path("my/<id:enrolment_id>/timetable/", views.my_timetable, name="timetable"),
    path("my/<id:enrolment_id>/reflection/", views.reflection, name="reflection"),
    path("courseware/<id:pk>/", views.courseware_download, name="courseware"),
    # The head teacher's pages (staff and administrators too).
    path("classes/<id:pk>/", views.class_attendance, name="class-attendance"),
    path("classes/<id:pk>/leave/", views.class_leave, name="class-leave"),
    path(
        "classes/<id:pk>/attendance.xlsx",
        export_views.class_attendance_xlsx,
        name="class-attendance-xlsx",
    ),
    path("classes/<id:pk>/leave.xlsx", export_views.class_leave_xlsx, name="class-leave-xlsx"),
    path("classes/<id:pk>/accounts/", account_views.class_accounts, name="class-accounts"),
    path(
        "classes/<id:pk>/accounts/action/",
        account_views.class_accounts_action,
        name="class-accounts-action",
    ),
    path("leave/<id:pk>/decide/", views.leave_decide, name="leave-decide"),
    path("sessions/<id:pk>/screen/", views.screen, name="screen"),
    path("sessions/<id:pk>/roll-call/", views.roll_call_page, name="roll-call"),
    path("sessions/<id:pk>/roll-call/mark/", views.roll_call_mark, name="roll-call-mark"),
    path(
        "sessions/<id:pk>/roll-call/mark-absent/",
        views.roll_call_mark_absent,
        name="roll-call-mark-absent",
    ),
]
