"""Security building blocks: service keys, sealed fields, masks, identity checks, staff tokens."""

from fengqiao.security.fields import FieldCipher, SealBroken
from fengqiao.security.identity import validate_id_number, validate_phone
from fengqiao.security.masking import mask_address, mask_id_number, mask_name, mask_phone
from fengqiao.security.secrets import WeakSecret, clear_secret_cache, service_secret
from fengqiao.security.tokens import Caller, InvalidToken, issue_token, verify_token

__all__ = [
    "Caller",
    "FieldCipher",
    "InvalidToken",
    "SealBroken",
    "WeakSecret",
    "clear_secret_cache",
    "issue_token",
    "mask_address",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "service_secret",
    "validate_id_number",
    "validate_phone",
    "verify_token",
]
