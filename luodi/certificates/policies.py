"""Object rules for certificates."""

from luodi.accounts.access import Perm, has_perm
from luodi.training.policies import may_read_class_records


def may_issue(user, training_class) -> bool:
    """Issuing and revoking is college-wide: whoever issues certificates does so for every class."""
    return has_perm(user, Perm.ISSUE_CERTIFICATES)


def may_download(user, training_class) -> bool:
    """A class's certificates: staff who issue certificates, the head teacher of the class, and
    supervisors (to read and download, never to issue or revoke)."""
    return may_issue(user, training_class) or may_read_class_records(user, training_class)
