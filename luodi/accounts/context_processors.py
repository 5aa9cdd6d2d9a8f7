from luodi.accounts.access import Perm, has_perm
from luodi.accounts.second_factor import may_enrol


def access(request):
    """Expose ``perms_luodi.<name>`` to templates, to show only the links a user may follow."""
    user = getattr(request, "user", None)
    return {
        "perms_luodi": {p.value: has_perm(user, p) for p in Perm},
        "may_use_second_factor": user is not None and may_enrol(user),
    }
