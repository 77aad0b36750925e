from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from . import access


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@hooks.register("before_serve_page")
def require_membership_for_member_space(page, request, serve_args, serve_kwargs):
    if not access.can_view_page(request.user, page):
        return _refuse(request)
    return None


@hooks.register("before_serve_document")
def require_membership_for_network_documents(document, request):
    if not access.can_download_document(request.user, document):
        return _refuse(request)
    return None
