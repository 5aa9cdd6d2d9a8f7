from django.urls import path

from luodi.certificates import views

app_name = "certificates"
urlpatterns = [
    path("class/<int:pk>/", views.class_certificates, name="class"),
    path("class/<int:pk>/issue/", views.class_issue, name="class-issue"),
    path("class/<int:pk>/certificates.pdf", views.class_pdf, name="class-pdf"),
    path("class/<int:pk>/certificates.zip", views.class_zip, name="class-zip"),
    path("<int:pk>/certificate.pdf", views.download, name="download"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("mine/<int:enrolment_pk>/certificate.pdf", views.mine, name="mine"),
]
