"""What a sheet holds: the columns every import, template and export of one ledger share.

A ledger declares its columns once; the reader matches the varied headers of real government
sheets to them (aliases), the template writer turns them into headers with notes and drop-downs,
and the exporter writes the same headers, so a file exported can be edited and imported again.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    ID_NUMBER = "id_number"  # resident ID number, GB 11643-1999
    MOBILE = "mobile"  # mainland mobile number
    USCC = "uscc"  # unified social credit code, GB 32100-2015
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"  # a number with a fraction: coordinates, shares
    CHOICE = "choice"  # one of ``choices``, matched by label or value
    BOOLEAN = "boolean"  # 是/否


@dataclass(frozen=True)
class Column:
    key: str  # the field name the importer fills
    label: str  # the header as written in templates and exports (Chinese)
    kind: Kind = Kind.TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers seen in real sheets for the same column
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) for Kind.CHOICE
    choice_aliases: tuple[tuple[str, str], ...] = ()  # (value, other word seen in sheets), e.g. 中共党员
    note: str = ""  # shown as the header cell's comment in the template
    max_length: int | None = None

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)

    def labelled_choices(self) -> tuple[tuple[str, str], ...]:
        """The choices with their labels as text in the active language (model choices are lazy)."""
        return tuple((value, str(label)) for value, label in self.choices)


@dataclass(frozen=True)
class SheetSpec:
    name: str  # the sheet's title, e.g. "入职登记"
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)
