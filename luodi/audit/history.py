"""The actor and IP address of django-auditlog's entries, from the request being served.

auditlog's own middleware connects a signal receiver for every request and disconnects it
after, which clears Django's receiver cache each time (a cost on the busiest paths), and its
context outlives the request. One receiver, connected once, reads the request the audit
middleware binds instead."""

from luodi.lib import audit


def fill_actor(sender, instance, **kwargs) -> None:
    request = audit.current_request()
    if request is None:
        return
    user = getattr(request, "user", None)
    if instance.actor_id is None and user is not None and user.is_authenticated:
        instance.actor = user
        instance.actor_email = getattr(user, "email", None)
    if not instance.remote_addr:
        instance.remote_addr = audit.client_ip(request) or None
