from django.utils.functional import SimpleLazyObject

from luodi.college.models import CollegeSettings


def college(request):
    """The college as the page header shows it (its short name or name, its logo): read when
    a template first uses it, once per page."""
    return {"college": SimpleLazyObject(CollegeSettings.load)}
