from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .viewsets import READ_ONLY_MODELS, ReadOnlyPolicy, ShopViewSetGroup

for _model in READ_ONLY_MODELS:
    register_permission_policy(_model, ReadOnlyPolicy(_model), exact_class=True)


@hooks.register("register_admin_viewset")
def register_shop_viewsets():
    return ShopViewSetGroup()
