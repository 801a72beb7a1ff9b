import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
application = get_wsgi_application()

from dangjian.accounts.demo_guard import refuse_demo_accounts  # noqa: E402 - needs the apps loaded

refuse_demo_accounts()
