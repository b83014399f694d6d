#!/usr/bin/env bash
# The one Keycloak build step of Machine OIDC, run by ./run-local.sh on its unpacked distribution and by
# docker/keycloak/Dockerfile's builder stage on the official image:
#
#   docker/keycloak-build.sh <keycloak-home> [<provider or theme jar>...] [<kc.sh build option>...]
#
# Installs the given jars into <keycloak-home>/providers/ and runs
#   kc.sh build --db=<db> --features=declarative-ui --health-enabled=true --metrics-enabled=true [options]
# --db defaults to dev-file (the embedded H2 of local runs); the image passes --db=postgres. Options given here
# come after the fixed ones. Then `kc.sh start --optimized` starts what was built. Needs only bash, cp and the
# Keycloak distribution (the official image has no other tools).
set -euo pipefail

# The build options every Machine OIDC Keycloak has. keycloak-arquillian's container tests build with the same
# (features from arquillian.xml; health and metrics always); DockerFilesTest checks they stay in step.
COMMON_BUILD_OPTIONS=(--features=declarative-ui --health-enabled=true --metrics-enabled=true)
DEFAULT_DB=dev-file

usage() {
  sed -n '2,11s/^# \{0,1\}//p' "$0"
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
esac
home=$1
shift
[[ -x $home/bin/kc.sh ]] || { printf 'keycloak-build.sh: no Keycloak distribution in %s (no bin/kc.sh)\n' "$home" >&2; exit 2; }

jars=()
options=()
for arg in "$@"; do
  case $arg in
    --*) options+=("$arg") ;;
    *.jar)
      [[ -f $arg ]] || { printf 'keycloak-build.sh: no such jar: %s\n' "$arg" >&2; exit 2; }
      jars+=("$arg")
      ;;
    *) printf 'keycloak-build.sh: neither a jar nor a kc.sh build option: %s\n' "$arg" >&2; exit 2 ;;
  esac
done

db=(--db="$DEFAULT_DB")
for option in "${options[@]}"; do
  [[ $option != --db=* ]] || db=()
done

for jar in "${jars[@]}"; do
  cp -f "$jar" "$home/providers/"
done

command=("$home/bin/kc.sh" build "${db[@]}" "${COMMON_BUILD_OPTIONS[@]}" "${options[@]}")
printf 'keycloak-build.sh: %s\n' "${command[*]}"
exec "${command[@]}"
