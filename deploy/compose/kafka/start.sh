#!/bin/sh
# Start the compose stack's Kafka node in the apache/kafka image (compose: `entrypoint`).
#
#   1. read the admin password that `fengqiao keys init` wrote to the keys volume
#      ($FENGQIAO_HOME/secrets/admin-kafka-password.key);
#   2. write the broker's configuration: server.properties beside this script, plus the JAAS
#      lines that carry passwords (admin for SCRAM, a fresh one-process password for the
#      controller listener), and a client configuration for the healthcheck;
#   3. format the storage once, with the admin's SCRAM-SHA-512 credential in it, so the first
#      client (`fengqiao kafka apply`, as admin) can log in and create everyone else;
#   4. exec the broker.
#
# This runs as the image's own non-root user (appuser), not as root. The key files are the
# Fengqiao user's (uid 10001) and private (0600 in a 0700 directory); the keys job hands the
# admin password alone to a group that compose adds to this container (`group_add`), so the
# broker can read that one file and no other key.
#
# POSIX sh: the image's /bin/sh is busybox. Variables for tests: FENGQIAO_KAFKA_DIST (the
# Kafka installation), FENGQIAO_KAFKA_TEMPLATE, FENGQIAO_KAFKA_RUN_DIR.
set -eu
umask 077
export LC_ALL=C

home="${FENGQIAO_HOME:-/var/lib/fengqiao}"
dist="${FENGQIAO_KAFKA_DIST:-/opt/kafka}"
template="${FENGQIAO_KAFKA_TEMPLATE:-$(dirname "$0")/server.properties}"
run_dir="${FENGQIAO_KAFKA_RUN_DIR:-/tmp/fengqiao-kafka}"
password_file="$home/secrets/admin-kafka-password.key"

fail() {
    printf 'kafka start: %s\n' "$*" >&2
    exit 1
}

[ -n "${CLUSTER_ID:-}" ] ||
    fail "CLUSTER_ID is not set: give 22 characters of base64url (kafka-storage.sh random-uuid)"
[ -r "$template" ] || fail "cannot read the broker configuration $template"
[ -r "$password_file" ] ||
    fail "cannot read the admin password $password_file: the keys job writes it" \
        "(docker compose run --rm keys) and gives it to this container's group_add group"
admin_password=$(tr -d '[:space:]' <"$password_file")
[ -n "$admin_password" ] || fail "$password_file is empty: run the keys job again"
# The password goes into a quoted JAAS value and into --add-scram's comma-separated list.
case "$admin_password" in
*[!A-Za-z0-9_=+/-]*) fail "$password_file is not base64 text, as every key file is" ;;
esac
# Only this process talks on the controller listener: a new password at every start will do.
controller_password=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40)

data_dir=$(sed -n 's/^log\.dirs=//p' "$template" | tail -n 1)
[ -n "$data_dir" ] || fail "$template names no log.dirs"

mkdir -p "$run_dir"
config="$run_dir/server.properties"
client="$run_dir/admin-client.properties"
scram="org.apache.kafka.common.security.scram.ScramLoginModule required"
scram="$scram username=\"admin\" password=\"$admin_password\";"
plain="org.apache.kafka.common.security.plain.PlainLoginModule required"
plain="$plain username=\"controller\" password=\"$controller_password\""
plain="$plain user_controller=\"$controller_password\";"
{
    cat "$template"
    printf '\n# Added by start.sh. The broker logs in to its own listeners with these.\n'
    printf 'listener.name.client.scram-sha-512.sasl.jaas.config=%s\n' "$scram"
    printf 'listener.name.controller.plain.sasl.jaas.config=%s\n' "$plain"
} >"$config"
{
    printf 'security.protocol=SASL_PLAINTEXT\n'
    printf 'sasl.mechanism=SCRAM-SHA-512\n'
    printf 'sasl.jaas.config=%s\n' "$scram"
} >"$client"

# The admin credential exists only from format time on; a data volume kept while the keys
# volume was made afresh would hold an admin nobody knows the password of any more.
fingerprint=$(printf '%s' "$admin_password" | sha256sum | cut -d ' ' -f 1)
marker="$data_dir/fengqiao-admin.sha256"
if [ -f "$data_dir/meta.properties" ]; then
    if [ -f "$marker" ] && [ "$(cat "$marker")" != "$fingerprint" ]; then
        fail "the storage in $data_dir was formatted for another admin password than" \
            "$password_file holds (the keys volume was made afresh, the Kafka volume kept):" \
            "start both afresh with docker compose down --volumes"
    fi
    printf 'kafka start: storage in %s is formatted already\n' "$data_dir"
else
    printf 'kafka start: formatting %s for cluster %s with the admin user\n' \
        "$data_dir" "$CLUSTER_ID"
    "$dist/bin/kafka-storage.sh" format --cluster-id "$CLUSTER_ID" --config "$config" \
        --add-scram "SCRAM-SHA-512=[name=admin,password=$admin_password]"
    printf '%s\n' "$fingerprint" >"$marker"
fi

exec "$dist/bin/kafka-server-start.sh" "$config"
