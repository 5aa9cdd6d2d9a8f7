from django.urls import path

from luodi.curriculum import case_views, views

app_name = "curriculum"
urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("courses.xlsx", views.course_list_xlsx, name="course-list-xlsx"),
    path("pick/", views.course_pick, name="course-pick"),
    path("<id:pk>/", views.course_detail, name="course-detail"),
    path("cases/", case_views.case_list, name="case-list"),
    path("cases/pick/", views.case_pick, name="case-pick"),
    path("sites/pick/", views.site_pick, name="site-pick"),
    path("cases/new/", case_views.case_new, name="case-new"),
    path("cases/<id:pk>/", case_views.case_detail, name="case-detail"),
    path("cases/<id:pk>/edit/", case_views.case_edit, name="case-edit"),
]
