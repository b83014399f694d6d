#!/usr/bin/env bash
# Runs Machine OIDC locally: Keycloak with this tree's provider and theme, the example org imported from
# realm-export/, and the example machine's bridge on a unix socket. See --help.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: ./run-local.sh [--help]

Runs Machine OIDC locally with only Java 17, Maven and curl:
  1. builds the provider, theme and bridge jars (mvn package) when they are missing or older than the sources;
  2. unpacks the Keycloak distribution (org.keycloak:keycloak-quarkus-dist, through Maven) into .local/,
     installs the provider and theme, and runs `kc.sh build` when they or the build options changed;
  3. starts Keycloak on http://127.0.0.1:$KC_PORT with its H2 database under .local/ (kept between runs)
     and imports realm-export/ (org example-org, app example-app, machine example-machine; realms that
     exist already are kept as they are);
  4. enrolls the example machine's bridge when it has no enrollment yet (a one-time token from the admin
     API; the key stays in .local/bridge/) and starts it on the socket $FLY_API_SOCKET;
  5. with ISSUER_BASE_URL set, serves the org's public issuer <base>/example-org (discovery and JWKS)
     through nginx and the shipped mapping docker/nginx/issuer-locations.conf on 127.0.0.1:$ISSUER_PORT;
  6. prints a line starting with READY and a curl example, and stays in the foreground: Ctrl-C stops
     everything it started and removes the socket.
Delete .local/ to start over from scratch. Logs: .local/logs/{build,keycloak,bridge,nginx}.log.

Environment:
  KC_PORT                      Keycloak's HTTP port on 127.0.0.1 (default 8080)
  KC_MANAGEMENT_PORT           Keycloak's management port, /health and /metrics (default 9000)
  FLY_API_SOCKET               the bridge's socket, relative to the current directory (default ./.fly/api)
  KC_BOOTSTRAP_ADMIN_USERNAME  admin user (default admin)
  KC_BOOTSTRAP_ADMIN_PASSWORD  admin password (default admin); both take effect when .local/ has no
                               database yet: later runs need the same values (the script logs in to
                               check and make the bridge's enrollment)
  KC_START_TIMEOUT             seconds to wait for Keycloak to be ready (default 300)
  ISSUER_BASE_URL              public issuer base, scheme://host[:port] without a path, e.g.
                               http://127.0.0.1:8081: tokens carry iss = <base>/example-org, and nginx
                               (needed then) serves <base>/example-org/.well-known/{openid-configuration,jwks}
                               (default unset: iss is Keycloak's realm issuer <Keycloak>/realms/example-org)
  ISSUER_PORT                  the port on 127.0.0.1 where nginx serves the issuer (default the port
                               of ISSUER_BASE_URL; set it when a proxy or tunnel in front of it owns the URL)
EOF
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") ;;
  *) printf 'run-local.sh: unknown argument %s\n\n' "$1" >&2; usage >&2; exit 2 ;;
esac

log() { printf 'run-local: %s\n' "$*"; }
die() { printf 'run-local: %s\n' "$*" >&2; exit 1; }

for tool in java mvn curl; do
  command -v "$tool" >/dev/null || die "needs $tool on PATH (Java 17, Maven and curl)"
done
ISSUER_BASE=${ISSUER_BASE_URL:-}
ISSUER_BASE=${ISSUER_BASE%/}
NGINX=
if [[ -n $ISSUER_BASE ]]; then
  # The shipped mapping serves <org>/.well-known/... at the root of its server: the base can have no path.
  [[ $ISSUER_BASE =~ ^https?://[A-Za-z0-9.-]+(:([0-9]+))?$ ]] \
    || die "ISSUER_BASE_URL must be http(s)://host[:port] without a path, e.g. http://127.0.0.1:8081 (got $ISSUER_BASE)"
  ISSUER_PORT=${ISSUER_PORT:-${BASH_REMATCH[2]}}
  [[ -n $ISSUER_PORT ]] || die "ISSUER_BASE_URL names no port: set ISSUER_PORT, the local port nginx listens on"
  # Debian keeps nginx in /usr/sbin, which is not on every user's PATH.
  NGINX=$(command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; }) \
    || die "ISSUER_BASE_URL needs nginx (Debian: apt-get install nginx)"
fi

# Paths from the environment are relative to where the script is run; everything else to the repository.
SOCKET_ARG=${FLY_API_SOCKET:-./.fly/api}
case $SOCKET_ARG in
  /*) SOCKET=$SOCKET_ARG ;;
  *) SOCKET=$PWD/${SOCKET_ARG#./} ;;
esac
cd "$(dirname "$0")"
ROOT=$PWD

HTTP_PORT=${KC_PORT:-8080}
MANAGEMENT_PORT=${KC_MANAGEMENT_PORT:-9000}
ADMIN_USER=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}
ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}
START_TIMEOUT=${KC_START_TIMEOUT:-300}

ORG=example-org
APP=example-app
MACHINE_ID=148e21ea7e46e8

LOCAL=$ROOT/.local
LOGS=$LOCAL/logs
BRIDGE_STATE=$LOCAL/bridge
KC_VERSION=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)
[[ -n $KC_VERSION ]] || die "no <keycloak.version> in pom.xml"
KC_HOME=$LOCAL/keycloak-$KC_VERSION
KC_URL=http://127.0.0.1:$HTTP_PORT
# kc.sh build runs through docker/keycloak-build.sh, the one build step shared with the Keycloak image; it adds
# --features=declarative-ui --health-enabled=true --metrics-enabled=true.
KC_BUILD_SCRIPT=docker/keycloak-build.sh
KC_BUILD_OPTIONS=(--db=dev-file)
PROVIDER_JARS=(spi-extension/target/machine-oidc-spi-extension.jar themes/target/machine-oidc-themes.jar)
BRIDGE_JAR=bridge/target/machine-oidc-bridge.jar
MVN=(mvn -B)

PORTS=("$HTTP_PORT" "$MANAGEMENT_PORT" ${ISSUER_BASE:+"$ISSUER_PORT"})
for port in "${PORTS[@]}"; do
  if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    die "not a port number: $port"
  fi
done
[[ $(printf '%s\n' "${PORTS[@]}" | sort -u | wc -l) == "${#PORTS[@]}" ]] \
  || die "KC_PORT, KC_MANAGEMENT_PORT and ISSUER_PORT must differ"
((${#SOCKET} <= 107)) || die "the socket path $SOCKET is longer than 107 bytes, the kernel's limit: set FLY_API_SOCKET"

mkdir -p "$LOGS"

# Processes this run started; each leads its own process group, so stopping one stops its whole tree.
kc_pid=
bridge_pid=
nginx_pid=
sleeper=
socket_ours=false
pid_file=$LOCAL/run-local.pid
answer_file=$LOCAL/admin-answer.json # the admin API's last answer (it may hold an enrollment token), 0600

# shellcheck disable=SC2317 # stop_group and cleanup run from the EXIT trap
stop_group() { # <pid> <seconds to wait before SIGKILL>
  local pid=$1 waited=0
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  while kill -0 -- "-$pid" 2>/dev/null && ((waited < $2 * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317
cleanup() {
  local status=$?
  # A second Ctrl-C must not cut the clean-up short: Keycloak and the bridge do not get the terminal's signals.
  trap '' INT TERM
  trap - EXIT
  if [[ -n $sleeper ]]; then
    kill "$sleeper" 2>/dev/null || true
  fi
  if [[ -n $bridge_pid || -n $kc_pid ]]; then
    log "stopping"
  fi
  if [[ -n $nginx_pid ]]; then
    stop_group "$nginx_pid" 10
  fi
  if [[ -n $bridge_pid ]]; then
    stop_group "$bridge_pid" 15
  fi
  if [[ $socket_ours == true && -S $SOCKET ]]; then
    rm -f "$SOCKET"
  fi
  if [[ -n $kc_pid ]]; then
    stop_group "$kc_pid" 60
  fi
  rm -f "$answer_file"
  if [[ -f $pid_file && $(<"$pid_file") == "$$" ]]; then
    rm -f "$pid_file"
  fi
  if [[ -n $bridge_pid || -n $kc_pid ]]; then
    log "stopped Keycloak and the bridge"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

running_here() { # <pid>: alive, and (where /proc tells) a run-local.sh, not a process that reused the id
  kill -0 "$1" 2>/dev/null && { [[ ! -r /proc/$1/cmdline ]] || grep -qa run-local.sh "/proc/$1/cmdline"; }
}
if [[ -f $pid_file ]] && other=$(<"$pid_file") && [[ $other =~ ^[0-9]+$ ]] && running_here "$other"; then
  die "already running in this checkout (pid $other); stop it first"
fi
echo "$$" >"$pid_file"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

log_tail() { # <log file>
  printf -- '--- last lines of %s ---\n' "$1" >&2
  tail -n 40 "$1" >&2 || true
  printf -- '---\n' >&2
}

await_url() { # <name> <pid> <url> <seconds> <log file in .local/logs>: until the URL answers 2xx, or die
  local deadline=$((SECONDS + $4))
  until curl -sf -o /dev/null --max-time 2 "$3"; do
    if ! kill -0 "$2" 2>/dev/null; then
      log_tail "$LOGS/$5"
      die "$1 exited during start-up (log: .local/logs/$5)"
    fi
    if ((SECONDS >= deadline)); then
      log_tail "$LOGS/$5"
      die "$1 was not ready within $4s (log: .local/logs/$5)"
    fi
    sleep 0.2
  done
}

# 1. The jars: built when missing, or when a source is newer than the jar and than this script's last build
# (Maven leaves a jar untouched when its classes did not change, e.g. after an edit of a pom).
build_stamp_file=$LOCAL/build.stamp
needs_build() {
  local jar module newer
  for jar in "${PROVIDER_JARS[@]}" "$BRIDGE_JAR"; do
    [[ -f $jar ]] || return 0
    module=${jar%%/*}
    if [[ -f $build_stamp_file ]]; then
      newer=$(find "$module/src/main" "$module/pom.xml" pom.xml -newer "$jar" -newer "$build_stamp_file" -print -quit)
    else
      newer=$(find "$module/src/main" "$module/pom.xml" pom.xml -newer "$jar" -print -quit)
    fi
    [[ -z $newer ]] || return 0
  done
  return 1
}
if needs_build; then
  log "building the provider, theme and bridge (mvn package; the first build takes a few minutes)"
  touch "$build_stamp_file.new"
  "${MVN[@]}" -Dmaven.test.skip=true -pl spi-extension,themes,bridge -am package >"$LOGS/build.log" 2>&1 \
    || { log_tail "$LOGS/build.log"; die "the Maven build failed (log: .local/logs/build.log)"; }
  mv "$build_stamp_file.new" "$build_stamp_file"
fi

# 2. The Keycloak distribution, unpacked by Maven; the provider and theme; kc.sh build when anything changed.
if [[ ! -x $KC_HOME/bin/kc.sh ]]; then
  log "unpacking org.keycloak:keycloak-quarkus-dist:$KC_VERSION into .local/"
  rm -rf "$LOCAL/unpack" "$KC_HOME"
  "${MVN[@]}" -N org.apache.maven.plugins:maven-dependency-plugin:unpack \
    "-Dartifact=org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
    "-DoutputDirectory=$LOCAL/unpack" -Dmdep.overWriteReleases=true >"$LOGS/unpack.log" 2>&1 \
    || { log_tail "$LOGS/unpack.log"; die "unpacking the Keycloak distribution failed"; }
  mv "$LOCAL/unpack/keycloak-$KC_VERSION" "$KC_HOME"
  rm -rf "$LOCAL/unpack"
fi
build_stamp="${KC_BUILD_OPTIONS[*]} $(cksum "$KC_BUILD_SCRIPT" "${PROVIDER_JARS[@]}" | tr '\n' ' ')"
if [[ ! -f $KC_HOME/.run-local-build || $(<"$KC_HOME/.run-local-build") != "$build_stamp" ]]; then
  log "$KC_BUILD_SCRIPT (kc.sh build ${KC_BUILD_OPTIONS[*]} and the shared options)"
  rm -f "$KC_HOME/.run-local-build"
  "$KC_BUILD_SCRIPT" "$KC_HOME" "${PROVIDER_JARS[@]}" "${KC_BUILD_OPTIONS[@]}" </dev/null >"$LOGS/kc-build.log" 2>&1 \
    || { log_tail "$LOGS/kc-build.log"; die "kc.sh build failed"; }
  printf '%s' "$build_stamp" >"$KC_HOME/.run-local-build"
fi

# 3. Keycloak. --import-realm reads data/import; Keycloak skips realms that exist already.
mkdir -p "$KC_HOME/data/import"
cp realm-export/*.json "$KC_HOME/data/import/"
for port in "${PORTS[@]}"; do
  ! port_in_use "$port" || die "port $port on 127.0.0.1 is in use: stop what listens there or set KC_PORT/KC_MANAGEMENT_PORT/ISSUER_PORT"
done
ISSUER_OPTIONS=()
if [[ -n $ISSUER_BASE ]]; then
  ISSUER_OPTIONS=(--spi-machine-oidc--default--issuer-base-url="$ISSUER_BASE")
fi
log "starting Keycloak $KC_VERSION on $KC_URL (log: .local/logs/keycloak.log)"
set -m # own process group
(
  unset KC_PORT KC_MANAGEMENT_PORT # ours, not Keycloak options
  export KC_BOOTSTRAP_ADMIN_USERNAME=$ADMIN_USER KC_BOOTSTRAP_ADMIN_PASSWORD=$ADMIN_PASSWORD
  exec "$KC_HOME/bin/kc.sh" start --optimized --http-enabled=true --http-host=127.0.0.1 \
    --http-port="$HTTP_PORT" --http-management-port="$MANAGEMENT_PORT" --hostname-strict=false \
    --cache=local --import-realm "${ISSUER_OPTIONS[@]}"
) </dev/null >"$LOGS/keycloak.log" 2>&1 &
kc_pid=$!
set +m

await_url Keycloak "$kc_pid" "http://127.0.0.1:$MANAGEMENT_PORT/health/ready" "$START_TIMEOUT" keycloak.log
log "Keycloak is ready"

# 4. Enrollment, only when the bridge's state or Keycloak lacks it. Tokens go through stdin, never argv or output.
admin_token() { # prints an admin access token; fails when the login fails
  local answer
  answer=$(printf '%s' "$ADMIN_PASSWORD" | curl -s --max-time 30 --data-urlencode 'password@-' \
    --data-urlencode "username=$ADMIN_USER" -d grant_type=password -d client_id=admin-cli \
    "$KC_URL/realms/master/protocol/openid-connect/token") || return 1
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$answer" | grep .
}
admin_call() { # <method> <path> <output file, private>; prints the HTTP status
  umask 077 # runs in a command substitution's subshell
  printf 'Authorization: Bearer %s\n' "$token" \
    | curl -s --max-time 30 -o "$3" -w '%{http_code}' -X "$1" -H @- "$KC_URL/admin/realms/$ORG/machine-oidc$2" || true
}
machine_path=/apps/$APP/machines/$MACHINE_ID
stored_enrollment=false
if [[ -f $BRIDGE_STATE/enrollment.json && -f $BRIDGE_STATE/machine-key.json ]]; then
  stored_enrollment=true
fi
enroll=false
if token=$(admin_token); then
  status=$(admin_call GET "$machine_path" "$answer_file")
  case $status in
    200) ;;
    404) die "the example machine $MACHINE_ID is not in realm $ORG (was it deleted?); delete .local/ to start over" ;;
    *) die "the admin API answered HTTP $status for the example machine" ;;
  esac
  if [[ $stored_enrollment == false ]] || ! grep -q '"enrolled":true' "$answer_file"; then
    enroll=true
  fi
elif [[ $stored_enrollment == true ]]; then
  log "warning: admin login as '$ADMIN_USER' failed; starting the bridge with its stored enrollment unchecked"
else
  die "admin login as '$ADMIN_USER' failed: KC_BOOTSTRAP_ADMIN_USERNAME/PASSWORD only take effect on the first start (when .local/ has no database); use that start's values, or delete .local/"
fi
enrollment_token=
if [[ $enroll == true ]]; then
  log "enrolling the example machine $MACHINE_ID (a new one-time token from the admin API)"
  status=$(admin_call POST "$machine_path/enrollment" "$answer_file")
  [[ $status == 201 ]] || die "the admin API refused an enrollment token (HTTP $status)"
  enrollment_token=$(sed -n 's/.*"enrollment_token":"\([^"]*\)".*/\1/p' "$answer_file")
  [[ -n $enrollment_token ]] || die "no enrollment_token in the admin API's answer"
fi
rm -f "$answer_file"
token=

# 5. The public issuer: nginx with the shipped mapping, in front of Keycloak.
if [[ -n $ISSUER_BASE ]]; then
  nginx_dir=$LOCAL/nginx
  mkdir -p "$nginx_dir/tmp"
  cat >"$nginx_dir/nginx.conf" <<NGINX
daemon off;
master_process off; # one process, stopped with its group
pid $nginx_dir/nginx.pid;
error_log $LOGS/nginx.log info;
events { worker_connections 256; }
http {
    access_log $LOGS/nginx-access.log;
    client_body_temp_path $nginx_dir/tmp/body;
    proxy_temp_path $nginx_dir/tmp/proxy;
    fastcgi_temp_path $nginx_dir/tmp/fastcgi;
    uwsgi_temp_path $nginx_dir/tmp/uwsgi;
    scgi_temp_path $nginx_dir/tmp/scgi;
    upstream keycloak { server 127.0.0.1:$HTTP_PORT; }
    server {
        listen 127.0.0.1:$ISSUER_PORT;
        include $ROOT/docker/nginx/issuer-locations.conf;
    }
}
NGINX
  log "serving the issuer $ISSUER_BASE/$ORG through nginx on 127.0.0.1:$ISSUER_PORT (log: .local/logs/nginx.log)"
  set -m
  "$NGINX" -e "$LOGS/nginx.log" -p "$nginx_dir" -c "$nginx_dir/nginx.conf" </dev/null >>"$LOGS/nginx.log" 2>&1 &
  nginx_pid=$!
  set +m
  await_url nginx "$nginx_pid" "http://127.0.0.1:$ISSUER_PORT/$ORG/.well-known/openid-configuration" 30 nginx.log
fi

# 6. The bridge.
if [[ -S $SOCKET ]] && curl -s -o /dev/null --max-time 2 --unix-socket "$SOCKET" http://localhost/; then
  die "another process already listens on $SOCKET_ARG: stop it or set FLY_API_SOCKET"
fi
log "starting the bridge on $SOCKET_ARG (log: .local/logs/bridge.log)"
set -m
(
  if [[ -n $enrollment_token ]]; then
    export MACHINE_OIDC_ENROLLMENT_TOKEN=$enrollment_token # environment, not argv: not shown by ps
  else
    unset MACHINE_OIDC_ENROLLMENT_TOKEN
  fi
  exec "$ROOT/bridge/bin/machine-oidc-bridge" --keycloak-url "$KC_URL" --org "$ORG" --machine-id "$MACHINE_ID" \
    --state-dir "$BRIDGE_STATE" --socket-path "$SOCKET"
) </dev/null >"$LOGS/bridge.log" 2>&1 &
bridge_pid=$!
set +m
enrollment_token=
socket_ours=true

deadline=$((SECONDS + 60))
until [[ -S $SOCKET ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --unix-socket "$SOCKET" \
  http://localhost/v1/tokens/oidc) != 000 ]]; do
  if ! kill -0 "$bridge_pid" 2>/dev/null; then
    wait "$bridge_pid" 2>/dev/null || true
    bridge_pid=
    socket_ours=false
    log_tail "$LOGS/bridge.log"
    die "the bridge exited during start-up (log: .local/logs/bridge.log; delete .local/bridge/ to enroll again)"
  fi
  ((SECONDS < deadline)) || { log_tail "$LOGS/bridge.log"; die "the bridge did not answer on $SOCKET_ARG within 60s"; }
  sleep 0.2
done

printf -v socket_shell '%q' "$SOCKET_ARG"
echo "READY Keycloak $KC_URL (admin console $KC_URL/admin/, user $ADMIN_USER), org $ORG, bridge on $SOCKET_ARG"
echo "  curl --unix-socket $socket_shell -X POST http://localhost/v1/tokens/oidc --data '{\"aud\":\"sts.amazonaws.com\"}'"
if [[ -n $ISSUER_BASE ]]; then
  echo "Issuer $ISSUER_BASE/$ORG: discovery $ISSUER_BASE/$ORG/.well-known/openid-configuration, keys $ISSUER_BASE/$ORG/.well-known/jwks"
fi
echo "Ctrl-C stops everything."

# Foreground until Ctrl-C (the trap), or until Keycloak or the bridge ends on its own.
while kill -0 "$kc_pid" 2>/dev/null && kill -0 "$bridge_pid" 2>/dev/null && { [[ -z $nginx_pid ]] || kill -0 "$nginx_pid" 2>/dev/null; }; do
  sleep 1 &
  sleeper=$!
  wait "$sleeper" || true
  sleeper=
done
if ! kill -0 "$kc_pid" 2>/dev/null; then
  log_tail "$LOGS/keycloak.log"
  die "Keycloak stopped unexpectedly (log: .local/logs/keycloak.log)"
fi
if [[ -n $nginx_pid ]] && ! kill -0 "$nginx_pid" 2>/dev/null; then
  log_tail "$LOGS/nginx.log"
  die "nginx stopped unexpectedly (log: .local/logs/nginx.log)"
fi
log_tail "$LOGS/bridge.log"
die "the bridge stopped unexpectedly (log: .local/logs/bridge.log)"
