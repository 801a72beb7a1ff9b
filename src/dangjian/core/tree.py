"""Materialized-path trees: regions, party organizations and the head-company tree.

Every scope that says "and its subtree" becomes one indexed ``path LIKE 'prefix%'`` filter,
which stays a single SQL condition however deep the tree is and however many rows it has.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext_lazy as _

# Ids are zero-padded so that ordering by path lists siblings in creation order ("/…02/" before
# "/…13/"), which plain text ordering of unpadded ids would not.
SEGMENT_DIGITS = 10


def segment(pk: int) -> str:
    return f"{pk:0{SEGMENT_DIGITS}d}/"


def child_path(parent_path: str | None, pk: int) -> str:
    return f"{parent_path or '/'}{segment(pk)}"


class PathTreeModel(models.Model):
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    # "/0000000001/0000000005/": the zero-padded ids from the root down to this node.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            new_path = child_path(self.parent.path if self.parent_id else None, self.pk)
            if new_path != self.path:
                old_path, self.path = self.path, new_path
                type(self).objects.filter(pk=self.pk).update(path=new_path)
                if old_path:
                    # Re-root the descendants in one statement when a node moves.
                    type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                        path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1))
                    )

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def clean(self):
        super().clean()
        if self.parent_id and self.pk and f"/{segment(self.pk)}" in self.parent.path:
            raise ValidationError(
                {"parent": _("A node cannot be placed under itself or its own descendant.")}
            )

    def subtree(self):
        return type(self).objects.filter(path__startswith=self.path)

    def ancestors(self):
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1]]
        by_id = type(self).objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]
