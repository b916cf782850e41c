#!/bin/sh
# Compose job `keys`: create every key once in the keys volume, then let the broker read the one
# file it needs. Runs in the Fengqiao image as its own user (uid 10001), which owns the volume.
#
# `fengqiao keys init` writes each key private to that user (files 0600 in a 0700 directory).
# The Kafka container runs as another user (the apache/kafka image's appuser) and must read the
# admin password to format its storage. Rather than run the broker or this job as root, the two
# containers share one extra group (compose `group_add`, FENGQIAO_BROKER_SECRET_GID here): the
# directories on the way may be passed through by that group (0710, no listing) and the admin
# password alone may be read by it (0640). Every other key stays readable by uid 10001 only.
#
# Idempotent: keys that exist are kept, so `docker compose up` may run it every time.
set -eu

home="${FENGQIAO_HOME:?FENGQIAO_HOME is not set: the keys volume mount point}"
gid="${FENGQIAO_BROKER_SECRET_GID:?FENGQIAO_BROKER_SECRET_GID is not set: the broker group id}"
secrets="$home/secrets"
admin="$secrets/admin-kafka-password.key"

fengqiao keys init
if [ ! -f "$admin" ]; then
    printf 'keys: fengqiao keys init wrote no %s; the broker needs it\n' "$admin" >&2
    exit 1
fi
chgrp "$gid" "$home" "$secrets" "$admin"
chmod 0710 "$home" "$secrets"
chmod 0640 "$admin"
printf 'keys: ready in %s; the broker (group %s) may read %s only\n' "$secrets" "$gid" "$admin"
