#!/usr/bin/env bash
# Regenerates realm-export/example-org-realm.json, the example org that ./run-local.sh imports.
#
# The realm is made by the extension itself, not by hand: a throwaway Keycloak (the distribution Maven unpacks,
# with this tree's provider) creates org example-org, app example-app and machine example-machine through the
# admin API, exactly as a user would; `kc.sh export` writes the realm; jq then
#   - gives it the ids of Fly's example token (fly.io/docs/reference/openid-connect): org_id (the realm id)
#     11111111, machine_id (the machine client's internal id) 148e21ea7e46e8 and machine_version
#     01HTGGC1TZ2JHK83J4AC0R3VET. app_id (the app client's internal id) is 22222222, not Fly's 11111111:
#     Keycloak caches realms and clients in one cache keyed by id, so a client must not share its realm's id;
#   - removes every key provider component (RS256/RSA-OAEP private keys, HMAC and AES secrets): importing the
#     file generates fresh keys, so no signing key is ever committed;
#   - removes the pending enrollment (token hash and expiry) the machine got on creation: run-local.sh asks the
#     admin API for a new one-time token (POST .../machines/148e21ea7e46e8/enrollment) when it enrolls;
#   - drops the users: an org has none of its own (its admins sign in through the master realm or are added later).
# image, image_digest and region are created with Fly's example values.
#
# Usage: realm-export/regenerate.sh        (needs Java 17, Maven, curl and jq; about a minute)
# Environment: REGEN_KC_PORT (default 8480) and REGEN_KC_MANAGEMENT_PORT (default 9480), the throwaway
# server's ports on 127.0.0.1. Work files (distribution, database, logs, raw export) stay in
# realm-export/target/ for inspection. Review the diff before committing: ids of Keycloak's own objects
# (roles, scopes, flows) are fresh UUIDs on every run.
set -euo pipefail
cd "$(dirname "$0")/.."

ORG=example-org
APP=example-app
MACHINE=example-machine
REALM_ID=11111111
APP_ID=22222222
MACHINE_ID=148e21ea7e46e8
MACHINE_VERSION=01HTGGC1TZ2JHK83J4AC0R3VET
REGION=sea
IMAGE=docker-hub-mirror.fly.io/you/image:latest
IMAGE_DIGEST=sha256:2c1cdaded1b3820020c9dc9fdd1d6e798d6f6ca36861bb6ae64019fad6be9ee3

PORT=${REGEN_KC_PORT:-8480}
MANAGEMENT_PORT=${REGEN_KC_MANAGEMENT_PORT:-9480}
OUT=realm-export/$ORG-realm.json
WORK=realm-export/target
KC_VERSION=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)
KC_HOME=$WORK/keycloak-$KC_VERSION
BASE=http://127.0.0.1:$PORT

log() { printf 'regenerate: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

for tool in java mvn curl jq; do
  command -v "$tool" >/dev/null || die "needs $tool on PATH"
done
[[ -n $KC_VERSION ]] || die "no <keycloak.version> in pom.xml"

kc_pid=
stop_keycloak() {
  [[ -n $kc_pid ]] || return 0
  kill -TERM -- "-$kc_pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 -- "-$kc_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL -- "-$kc_pid" 2>/dev/null || true
  wait "$kc_pid" 2>/dev/null || true
  kc_pid=
}
trap stop_keycloak EXIT

rm -rf "$WORK"
mkdir -p "$WORK"
log "building the provider and the theme"
mvn -B -Dmaven.test.skip=true -pl spi-extension,themes -am package >"$WORK/mvn-build.log" 2>&1 \
  || { tail -n 40 "$WORK/mvn-build.log" >&2; die "the Maven build failed"; }

log "unpacking keycloak-quarkus-dist $KC_VERSION into $WORK"
mvn -B -N org.apache.maven.plugins:maven-dependency-plugin:unpack \
  "-Dartifact=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
  "-DoutputDirectory=$WORK" -Dmdep.overWriteReleases=true >"$WORK/mvn-unpack.log" 2>&1 \
  || { tail -n 40 "$WORK/mvn-unpack.log" >&2; die "unpacking the distribution failed"; }
cp spi-extension/target/machine-oidc-spi-extension.jar themes/target/machine-oidc-themes.jar "$KC_HOME/providers/"

log "kc.sh build"
"$KC_HOME/bin/kc.sh" build --db=dev-file --features=declarative-ui --health-enabled=true >"$WORK/build.log" 2>&1 \
  || { tail -n 40 "$WORK/build.log" >&2; die "kc.sh build failed"; }

# A password for this throwaway server only, never printed.
admin_password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
log "starting Keycloak on $BASE"
set -m
KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=$admin_password \
  "$KC_HOME/bin/kc.sh" start --optimized --http-enabled=true --http-host=127.0.0.1 --http-port="$PORT" \
  --http-management-port="$MANAGEMENT_PORT" --hostname-strict=false --cache=local \
  </dev/null >"$WORK/keycloak.log" 2>&1 &
kc_pid=$!
set +m
for _ in $(seq 1 240); do
  curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$MANAGEMENT_PORT/health/ready" && break
  kill -0 "$kc_pid" 2>/dev/null || { tail -n 40 "$WORK/keycloak.log" >&2; die "Keycloak exited"; }
  sleep 1
done
curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$MANAGEMENT_PORT/health/ready" \
  || { tail -n 40 "$WORK/keycloak.log" >&2; die "Keycloak not ready in time"; }

token=$(printf '%s' "$admin_password" | curl -sf --data-urlencode 'password@-' \
  -d grant_type=password -d client_id=admin-cli -d username=admin \
  "$BASE/realms/master/protocol/openid-connect/token" | jq -r .access_token)
# POST <path> <json>: the answer, enrollment tokens masked (they are single-use and expire anyway).
post() {
  printf 'Authorization: Bearer %s\n' "$token" \
    | curl -s --fail-with-body -H @- -H 'Content-Type: application/json' -d "$2" "$BASE$1" \
    | jq -c '.enrollment_token |= if . then "<hidden>" else . end | with_entries(select(.value != null))'
}
log "creating org, app and machine through the admin API"
post /admin/realms/master/machine-oidc/orgs "$(jq -nc --arg n "$ORG" '{name:$n}')" >&2
post "/admin/realms/$ORG/machine-oidc/apps" "$(jq -nc --arg n "$APP" '{name:$n}')" >&2
post "/admin/realms/$ORG/machine-oidc/apps/$APP/machines" "$(jq -nc --arg n "$MACHINE" --arg r "$REGION" \
  --arg i "$IMAGE" --arg d "$IMAGE_DIGEST" '{name:$n, region:$r, image:$i, image_digest:$d}')" >&2
stop_keycloak

log "kc.sh export --realm $ORG"
"$KC_HOME/bin/kc.sh" export --optimized --realm "$ORG" --users same_file --file "$WORK/raw-export.json" \
  </dev/null >"$WORK/export.log" 2>&1 || { tail -n 40 "$WORK/export.log" >&2; die "kc.sh export failed"; }

jq --arg realm_id "$REALM_ID" --arg app_id "$APP_ID" --arg machine_id "$MACHINE_ID" \
   --arg version "$MACHINE_VERSION" --arg app_client "app:$APP" --arg machine_client "machine:$MACHINE@$APP" '
  def rename($from; $to): walk(if type == "string" and . == $from then $to else . end);
  (.clients[] | select(.clientId == $app_client) | .id) as $old_app
  | (.clients[] | select(.clientId == $machine_client) | .id) as $old_machine
  | rename(.id; $realm_id) | rename($old_app; $app_id) | rename($old_machine; $machine_id)
  | .components |= del(.["org.keycloak.keys.KeyProvider"])
  | .clients |= map(
      .attributes |= del(.["machine-oidc.enrollment-hash"], .["machine-oidc.enrollment-expires-at"])
      | if .clientId == $machine_client then .attributes["machine-oidc.version"] = $version else . end)
  | del(.users)
' "$WORK/raw-export.json" >"$WORK/$ORG-realm.json"

# Nothing secret may remain: no private key, no secret, no enrollment hash.
if grep -nE '"(privateKey|secret|certificate)"|enrollment-hash' "$WORK/$ORG-realm.json" >&2; then
  die "the rewritten export still holds key material (lines above); not writing $OUT"
fi
mv "$WORK/$ORG-realm.json" "$OUT"
log "wrote $OUT"
