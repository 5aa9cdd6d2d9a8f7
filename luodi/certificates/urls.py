from django.urls import path

from luodi.certificates import views

app_name = "certificates"
urlpatterns = [
    path("class/<id:pk>/", views.class_certificates, name="class"),
    path("class/<id:pk>/issue/", views.class_issue, name="class-issue"),
    path("class/<id:pk>/certificates.xlsx", views.class_xlsx, name="class-xlsx"),
    path("class/<id:pk>/certificates.pdf", views.class_pdf, name="class-pdf"),
    path("class/<id:pk>/certificates.zip", views.class_zip, name="class-zip"),
    path("<id:pk>/certificate.pdf", views.download, name="download"),
    path("<id:pk>/revoke/", views.revoke, name="revoke"),
    path("mine/<id:enrolment_pk>/certificate.pdf", views.mine, name="mine"),
]
