"""Shared set-up of the care-fund tests: this year's funds, the approvers, a worker account for
符海燕 (who works at 滨海直播工作室 in 滨海街道, an industry no committee leads, so her
applications go to the two-new working committee's fund), and documents to attach."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.care.models import CareCategory, CareFund
from dangjian.core.audit import save_tracked
from tests.world import World, user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def documents_for(kind: str) -> list:
    """One file for each document the category requires."""
    return [(doc, png(f"{doc}.png")) for doc in CareCategory.objects.get(kind=kind).required_documents]


@dataclass
class Care:
    world: World
    today: object
    fund: CareFund  # the two-new working committee's, this year
    express_fund: CareFund
    root_staff: object  # committee staff of the two-new working committee: decide and pay
    root_staff_2: object
    worker_b: object  # 符海燕's account

    @property
    def person(self):
        return self.world.people["worker_b"]

    @property
    def unit(self):
        return self.world.units["plain_b"]

    def category(self, kind: str = "accident") -> CareCategory:
        return CareCategory.objects.get(kind=kind)


def use_private_storage(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def setup_care(world: World, *, budget_fen: int = 100_000_00) -> Care:
    today = timezone.localdate()
    root = world.organizations["root"]
    fund = CareFund(name="两新工委关爱基金", committee=root, year=today.year, budget_fen=budget_fen)
    save_tracked(fund, actor=None)
    express_fund = CareFund(
        name="快递物流行业关爱基金",
        committee=world.organizations["committee"],
        year=today.year,
        budget_fen=budget_fen,
    )
    save_tracked(express_fund, actor=None)
    worker_b = user("worker_b", Role.WORKER, person=world.people["worker_b"])
    world.people["worker_b"].user = worker_b
    world.people["worker_b"].save()
    return Care(
        world=world,
        today=today,
        fund=fund,
        express_fund=express_fund,
        root_staff=user("root_staff", Role.COMMITTEE_STAFF, organization=root),
        root_staff_2=user("root_staff_2", Role.COMMITTEE_STAFF, organization=root),
        worker_b=worker_b,
    )
