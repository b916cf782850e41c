#!/bin/sh
# Compose job `enrol`, once the gateway is healthy: register each agency's Ed25519 public key in
# the gateway's registry, so that the gateway checks every event's signature against an enrolled
# key (the compose gateway does not trust the key directory: FENGQIAO_GATEWAY_TRUST_LOCAL_KEYS is
# false). Arguments: the agency ids. The CLI reads each signing key from the keys volume and calls
# the gateway's admin API with a short-lived admin token it mints from the gateway's token key,
# which is in the same volume.
#
# Idempotent: enrolling the same key again changes nothing.
set -eu

url="${FENGQIAO_GATEWAY_URL:?FENGQIAO_GATEWAY_URL is not set: the address of the gateway}"
if [ "$#" -eq 0 ]; then
    printf 'enrol: give the agency ids to enrol\n' >&2
    exit 2
fi
for agency in "$@"; do
    key=$(fengqiao agency public-key "$agency")
    fengqiao agency enrol "$agency" --public-key "$key" --url "$url"
done
