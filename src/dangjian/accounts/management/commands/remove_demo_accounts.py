from django.core.management.base import BaseCommand
from django.db import transaction

from dangjian.accounts.models import User


class Command(BaseCommand):
    help = "Delete the demo accounts (required before the production profile will start)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count, _ = User.objects.filter(is_demo=True).delete()
        self.stdout.write(f"已删除演示账户相关记录 {count} 条 / deleted {count} demo account rows")
