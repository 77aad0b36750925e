"""A person's permissions in one query instead of two.

Django's ModelBackend reads a user's own permissions and their groups' permissions with a query
each, then keeps the union on the user object (`_perm_cache`) for the rest of the request. Every
page a logged-in person opens asks at least once (Wagtail's user bar asks whether they may open
the admin), so this backend, listed first, reads both in one query and keeps the union where
ModelBackend looks first: the backends after it ask nothing more.

It logs nobody in (`authenticate` says None at once, so a password is checked once, by the
backends after it), and it loads the user of a session that names it, as ModelBackend does (the
tests' `force_login` names the first backend).
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class PermissionsInOneQueryBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        plain = user_obj.is_active and not user_obj.is_anonymous and not user_obj.is_superuser
        if not plain or obj is not None:
            return super().get_all_permissions(user_obj, obj=obj)
        if not hasattr(user_obj, "_perm_cache"):
            rows = (
                Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
                .values_list("content_type__app_label", "codename")
                .order_by()
                .distinct()
            )
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
