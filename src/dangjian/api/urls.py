from ninja import NinjaAPI
from ninja.security import django_auth

from dangjian.api import health, routers
from dangjian.care import api_stations
from dangjian.coverage import api_status as coverage_api
from dangjian.membership import api_pipeline
from dangjian.organizations import api_leadership

api = NinjaAPI(
    title="新业态新就业群体党建工作平台 API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/units/", routers.units)
api.add_router("/organizations/", routers.organizations)
api.add_router("/people/", routers.people)
api.add_router("/health", health.router)
api.add_router("/stations/", api_stations.router)
api.add_router("/leadership/", api_leadership.router)
api.add_router("/development/", api_pipeline.router)
api.add_router("/coverage/", coverage_api.router)
