from django.urls import reverse

from .services import coordinator_groups_sync_for


class CoordinatorAdminRightsMiddleware:
    """Before any admin page: the user's coordinator groups follow today's memberships.

    Placed before anything that reads permissions (the MFA check does), so that a coordinator
    whose membership ended yesterday has no admin rights today, even if nothing was saved."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        user = getattr(request, "user", None)
        if request.path.startswith(self.admin_prefix) and user and user.is_authenticated:
            coordinator_groups_sync_for(user=user)
        return self.get_response(request)
