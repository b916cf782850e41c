"""The filed agreement documents (协议书存档): the DOCX bytes as signed, sealed at rest.

A document holds the parties' names and addresses, so it is encrypted with the office's field
key, bound to its id; its SHA-256 is the one the hub and the court were given, and it is
checked on every read so a damaged or substituted file is never handed out.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib

from pymongo.errors import DuplicateKeyError

from fengqiao.clock import now_utc
from fengqiao.contracts.events import DocumentRef
from fengqiao.storage import NotFound
from justice.adapters.store import Stores, field_cipher

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentMissing(NotFound):
    """The filed copy is absent or does not match the reference the mediation holds."""


def agreement_ref(mediation_id: str, number: str, data: bytes) -> DocumentRef:
    """The reference others get: where the office keeps it, and the hash of its bytes."""
    return DocumentRef(
        title=f"人民调解协议书 {number}",
        uri=f"justice://mediations/{mediation_id}/agreement.docx",
        media_type=DOCX,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _id(mediation_id: str, number: str) -> str:
    return f"{mediation_id}:{number}"


async def file_document(stores: Stores, mediation_id: str, number: str, data: bytes) -> None:
    """File the bytes of agreement ``number``; filing the same number again keeps the first."""
    doc_id = _id(mediation_id, number)
    sealed = field_cipher().seal({"docx": base64.b64encode(data).decode()}, context=doc_id)
    # Numbers are never reused: a duplicate is this very document, filed before.
    with contextlib.suppress(DuplicateKeyError):
        await stores.documents.insert_one(
            {
                "_id": doc_id,
                "mediation": mediation_id,
                "number": number,
                "sha256": hashlib.sha256(data).hexdigest(),
                "sealed": sealed,
                "at": now_utc(),
            }
        )


async def filed_document(stores: Stores, mediation_id: str, number: str, ref: DocumentRef) -> bytes:
    """The filed bytes of the agreement, if they hash to ``ref``; else DocumentMissing."""
    doc_id = _id(mediation_id, number)
    found = await stores.documents.find_one({"_id": doc_id})
    if found is None:
        raise DocumentMissing(f"agreement document {doc_id} is not filed")
    data = base64.b64decode(field_cipher().open(found["sealed"], context=doc_id)["docx"])
    if hashlib.sha256(data).hexdigest() != ref.sha256:
        raise DocumentMissing(f"agreement document {doc_id} does not match its reference")
    return data
