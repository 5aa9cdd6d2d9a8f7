from django import template

from luodi.research import selectors

register = template.Library()


@register.simple_tag
def research_output(teacher) -> dict:
    """``{% research_output teacher as output %}``: the teacher's projects, publications,
    advisory work and cases (``research/_teacher_output.html``)."""
    return selectors.teacher_output(teacher)
