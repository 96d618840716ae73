"""Sign-ins and sign-outs come from Django's auth signals; they go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent
from .services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_user_logged_in")
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, verb=AuditEvent.Verb.USER_LOGGED_IN, target=user)


@receiver(user_logged_out, dispatch_uid="audit_user_logged_out")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, verb=AuditEvent.Verb.USER_LOGGED_OUT, target=user)


@receiver(user_login_failed, dispatch_uid="audit_user_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(actor=None, verb=AuditEvent.Verb.USER_LOGIN_FAILED, payload={"username": username})
