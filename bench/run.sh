#!/usr/bin/env bash
# The benchmark: builds what it needs, starts one Keycloak (the real distribution, with this tree's provider and
# theme) and the bridges, measures, stops everything it started, and ends with the fleet's two ratios and then
# ratio_vs_client_credentials=<x.xx>. Figures land in bench/target/bench-results/; logs in bench/target/bench-run/.
# Not part of `mvn verify`. Options (see --help) go to the benchmark, e.g. --rounds 5, --scale-orgs 0, --fleet or
# --slow-readers (mint latency with 500 stalled clients on the bridge's socket; no Keycloak, about 2 minutes) or
# --machine-list (the admin API's machines list of an app with 10,000 machines against Keycloak's client search).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h | --help) sed -n '2,7s/^# \{0,1\}//p' "$0"; echo ;;
esac

for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool on PATH (Java 17 and Maven)" >&2; exit 1; }
done

KC_VERSION=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)
mkdir -p bench/target
echo "bench: building the provider, theme, bridge and benchmark (mvn package, log: bench/target/build.log)"
if ! mvn -B -Pbench -Dmaven.test.skip=true -pl spi-extension,themes,bridge,bench -am package >bench/target/build.log 2>&1; then
  tail -n 40 bench/target/build.log >&2
  echo "bench: the Maven build failed (log: bench/target/build.log)" >&2
  exit 1
fi

exec java -XX:+UseParallelGC -Xmx1g -cp "bench/target/classes:$(cat bench/target/bench.classpath)" dev.machineoidc.bench.BenchMain \
  --keycloak-home "bench/target/keycloak-dist/keycloak-$KC_VERSION" \
  --provider-jar spi-extension/target/machine-oidc-spi-extension.jar \
  --provider-jar themes/target/machine-oidc-themes.jar \
  --bridge-launcher bridge/bin/machine-oidc-bridge \
  "$@"
