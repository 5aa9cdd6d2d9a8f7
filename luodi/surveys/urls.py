from luodi.surveys import results_urls

app_name = "surveys"

urlpatterns = [
    *results_urls.urlpatterns,
]
