from django.urls import path

from luodi.checkin import views

app_name = "checkin"
urlpatterns = [
    # The trainee's phone pages.
    path("", views.home, name="home"),
    path("s/<int:session_id>/", views.my_session, name="my-session"),
    path("s/<int:session_id>/<str:token>/", views.check_in, name="check-in"),
    path("my/<int:enrolment_id>/leave/", views.leave_new, name="leave-new"),
    path("my/<int:enrolment_id>/reflection/", views.reflection, name="reflection"),
    path("courseware/<int:pk>/", views.courseware_download, name="courseware"),
    # The head teacher's pages (staff and administrators too).
    path("classes/<int:pk>/", views.class_attendance, name="class-attendance"),
    path("classes/<int:pk>/leave/", views.class_leave, name="class-leave"),
    path("leave/<int:pk>/decide/", views.leave_decide, name="leave-decide"),
    path("sessions/<int:pk>/screen/", views.screen, name="screen"),
    path("sessions/<int:pk>/roll-call/", views.roll_call_page, name="roll-call"),
    path("sessions/<int:pk>/roll-call/mark/", views.roll_call_mark, name="roll-call-mark"),
    path(
        "sessions/<int:pk>/roll-call/mark-absent/",
        views.roll_call_mark_absent,
        name="roll-call-mark-absent",
    ),
]
