"""The cadre list's xlsx export as a background job: a province has thousands of cadres.

The job's subject is the user who asked (a list has no record of its own); its parameters
are the list's filters, applied again in the worker to the cadres that user may see."""

from django.utils.translation import gettext_lazy

from luodi.accounts.access import Perm, has_perm
from luodi.cadres.export import cadre_list_xlsx
from luodi.cadres.models import Cadre
from luodi.jobs.kinds import Document, JobKind, register
from luodi.lib.documents.xlsx import XLSX

CADRE_LIST_XLSX = "cadres.list-xlsx"
FILTERS = ("q", "city", "post")


def cadres_to_export(user, parameters: dict):
    """The rows of the cadre list for ``user`` with the filters in ``parameters``."""
    filters = {k: str(parameters.get(k) or "") for k in FILTERS}
    return Cadre.objects.visible_to(user).filtered(**filters).select_related("community__city")


def build_cadre_list(job, progress) -> Document:
    cadres = cadres_to_export(job.requested_by, job.parameters)
    total = cadres.count()
    progress(0, total)
    return Document(
        content=cadre_list_xlsx(cadres.iterator(chunk_size=500), total=total, progress=progress),
        filename="社区干部名单.xlsx",
        content_type=XLSX,
    )


def may_use(user, job) -> bool:
    """Whoever may still see the cadre list; the rows were those of the user who asked."""
    return has_perm(user, Perm.VIEW_CADRES)


register(
    JobKind(
        name=CADRE_LIST_XLSX,
        label=gettext_lazy("Cadre list (xlsx)"),
        build=build_cadre_list,
        may_use=may_use,
    )
)
