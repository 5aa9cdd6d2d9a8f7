from django import template

from luodi.surveys.services import surveys_due

register = template.Library()


@register.simple_tag
def surveys_due_for(user):
    """The open surveys a trainee has still to answer (their phone's home page)."""
    return surveys_due(user)
