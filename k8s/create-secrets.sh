#!/usr/bin/env bash
# The Secrets the Fengqiao services read and no manifest holds (see k8s/README.md).
#
#   k8s/create-secrets.sh keys dev|prod [--print]
#       For each service: <service>-keys, its keys FENGQIAO_<SERVICE>_<PURPOSE> (32 random bytes,
#       base64url), and <service>-mongodb-password, its MongoDB user's password. In prod also
#       platform-upstream (client-secret: the provincial platform's secret for us, taken from
#       $FENGQIAO_PLATFORM_CLIENT_SECRET). A key that exists is never replaced: a new field key
#       would leave the stored personal data unreadable, a new signing key must be enrolled at
#       the gateway again. Keys a Secret lacks are added. --print writes the Secrets as YAML to
#       stdout instead of creating them (for a secret store, or `kubectl create -f -`).
#   k8s/create-secrets.sh kafka prod
#       Copies each agency's Kafka password (Secret <agency>, key `password`, written by
#       Strimzi's User Operator in fengqiao-kafka) and the cluster CA (Secret
#       fengqiao-cluster-ca-cert, key ca.crt) into the agency's namespace. Run it once Strimzi
#       has made them, and again after it renews the CA (then restart the services). In dev
#       everything shares one namespace and Strimzi's Secrets are used as they are.
set -euo pipefail

SERVICES=(gateway intake grid court procuratorate police justice platform)
KAFKA_NAMESPACE=fengqiao-kafka
CLUSTER_CA=fengqiao-cluster-ca-cert

die() {
  echo "create-secrets: $*" >&2
  exit 1
}

usage() {
  sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

# The keys each service reads with fengqiao.security.service_secret (tests/test_k8s_manifests.py
# holds the Deployments to the same list).
purposes() {
  case "$1" in
    gateway) echo SIGNING_KEY TOKEN_KEY AGENCY_TOKEN_KEY CLIENT_KEY WEBHOOK_KEY OPEN311_KEY ;;
    intake) echo SIGNING_KEY TOKEN_KEY FIELD_KEY TRACKING_KEY ;;
    police) echo SIGNING_KEY TOKEN_KEY ;;
    grid | court | procuratorate | justice | platform) echo SIGNING_KEY TOKEN_KEY FIELD_KEY ;;
    *) die "unknown service $1" ;;
  esac
}

namespace_of() {
  if [[ $overlay == dev ]]; then echo fengqiao; else echo "fengqiao-$1"; fi
}

random_key() { # 32 random bytes, base64url without padding (the services accept both forms)
  head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

quoted() { # a YAML single-quoted scalar
  printf "'%s'" "${1//\'/\'\'}"
}

# secret_yaml NAME NAMESPACE FIELD KEY=VALUE...   (FIELD: stringData or data)
secret_yaml() {
  local name=$1 namespace=$2 field=$3 pair
  shift 3
  printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: %s\n' \
    "$name" "$namespace"
  printf '  labels:\n    app.kubernetes.io/part-of: fengqiao\ntype: Opaque\n%s:\n' "$field"
  for pair in "$@"; do
    printf '  %s: %s\n' "$(quoted "${pair%%=*}")" "$(quoted "${pair#*=}")"
  done
}

# ensure_secret NAME NAMESPACE KEY=VALUE...: create the Secret, or add the keys it lacks.
ensure_secret() {
  local name=$1 namespace=$2 have pair missing=()
  shift 2
  if $print; then
    secret_yaml "$name" "$namespace" stringData "$@"
    echo ---
    return
  fi
  # shellcheck disable=SC2016 # a Go template, not a shell expansion
  if ! have=$(kubectl get secret "$name" -n "$namespace" \
    -o go-template='{{range $k, $v := .data}}{{$k}}{{"\n"}}{{end}}' 2>/dev/null); then
    secret_yaml "$name" "$namespace" stringData "$@" | kubectl create -f - >/dev/null
    echo "created $namespace/$name" >&2
    return
  fi
  for pair in "$@"; do
    grep -qxF "${pair%%=*}" <<<"$have" || missing+=("$pair")
  done
  if ((${#missing[@]} == 0)); then
    echo "kept    $namespace/$name" >&2
    return
  fi
  # On stdin, not the command line: nothing secret shows in the process list.
  {
    echo "stringData:"
    for pair in "${missing[@]}"; do
      printf '  %s: %s\n' "$(quoted "${pair%%=*}")" "$(quoted "${pair#*=}")"
    done
  } | kubectl patch secret "$name" -n "$namespace" --type merge --patch-file /dev/stdin >/dev/null
  echo "added   $namespace/$name: ${missing[*]%%=*}" >&2
}

keys() {
  local service namespace purpose pairs
  for service in "${SERVICES[@]}"; do
    namespace=$(namespace_of "$service")
    pairs=()
    for purpose in $(purposes "$service"); do
      pairs+=("FENGQIAO_${service^^}_${purpose}=$(random_key)")
    done
    ensure_secret "$service-keys" "$namespace" "${pairs[@]}"
    ensure_secret "$service-mongodb-password" "$namespace" "password=$(random_key)"
  done
  if [[ $overlay == prod ]]; then
    [[ -n ${FENGQIAO_PLATFORM_CLIENT_SECRET:-} ]] ||
      die "set FENGQIAO_PLATFORM_CLIENT_SECRET to the client secret the provincial platform" \
        "issued for Fengqiao (overlays/dev uses platform-sim's and needs none)"
    ensure_secret platform-upstream "$(namespace_of platform)" \
      "client-secret=$FENGQIAO_PLATFORM_CLIENT_SECRET"
  fi
}

# copy NAME KEY TO_NAMESPACE: one key of a Secret in the Kafka namespace, into another.
copy() {
  local name=$1 key=$2 namespace=$3 value
  if ! value=$(kubectl get secret "$name" -n "$KAFKA_NAMESPACE" \
    -o "jsonpath={.data.${key//./\\.}}") || [[ -z $value ]]; then
    die "Secret $KAFKA_NAMESPACE/$name (key $key) is not there yet: has Strimzi made it?" \
      "(kubectl get kafka,kafkauser -n $KAFKA_NAMESPACE)"
  fi
  secret_yaml "$name" "$namespace" data "$key=$value" | kubectl apply -f - >/dev/null
  echo "copied  $KAFKA_NAMESPACE/$name -> $namespace/$name" >&2
}

kafka() {
  local service
  if [[ $overlay == dev ]]; then
    echo "dev: Kafka shares the namespace, its Secrets are used as they are" >&2
    return
  fi
  $print && die "kafka copies what Strimzi made: it has no --print"
  for service in "${SERVICES[@]}"; do
    copy "$service" password "$(namespace_of "$service")"
    copy "$CLUSTER_CA" ca.crt "$(namespace_of "$service")"
  done
}

(($# >= 2)) || usage
command=$1 overlay=$2 print=false
case "${3:-}" in
  "") ;;
  --print) print=true ;;
  *) usage ;;
esac
[[ $overlay == dev || $overlay == prod ]] || usage
$print || command -v kubectl >/dev/null || die "kubectl is not on PATH"
case "$command" in
  keys) keys ;;
  kafka) kafka ;;
  *) usage ;;
esac
