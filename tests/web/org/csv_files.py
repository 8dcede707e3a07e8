"""Organisation files as HR would upload them."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

# The organisation file of the import tests: six people, two teams, multi-team roles, non-ASCII names.
from tests.org.test_apply_import import HEADER, ORG

__all__ = ["BAD", "HR_MAPPING", "HR_SYSTEM", "ORG", "upload"]

# Three rows wrong in three ways, and a misspelt column.
BAD = HEADER.replace("team,", "teem,") + (
    "cto,Ada Ørsted,ada@example.org,cto,,,,,,technical,2019-01-01\n"
    "em1,Björn Ng,not-an-email,engineering-manager,cto,,payments,Money,,,\n"
    "e1,Eve Ekland,,wizard,em1,,payments,Money,,,\n"
    "e1,Eve Again,,software-engineer,nobody,,payments,Money,,,\n"
)
# An HR system's own column names.
HR_SYSTEM = "Employee ID,Full Name,Grade,Cost Center\ncto,Ada Ørsted,cto,C-100\ne9,Gus Grant,software-engineer,C-200\n"
HR_MAPPING = "Employee ID=id,Full Name=name,Grade=level,Cost Center="


def upload(text: str, name: str = "org.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
