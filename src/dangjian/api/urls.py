from ninja import NinjaAPI
from ninja.security import django_auth

from dangjian.api import routers

api = NinjaAPI(
    title="新业态新就业群体党建工作平台 API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/units/", routers.units)
api.add_router("/organizations/", routers.organizations)
api.add_router("/people/", routers.people)
