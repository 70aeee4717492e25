#!/usr/bin/env bash
# Cairn's local stack: one Kafka broker (KRaft) and one Elasticsearch node, assembled from Maven
# Central and run as plain local processes, for machines without Docker.
#
#   stack.sh start [--secure]   idempotent; resolves jars on first use, waits for health with a
#                     deadline; --secure (or CAIRN_STACK_SECURE=1) also serves Elasticsearch over TLS
#                     with authentication and writes .cairn/secure/cairn.env (see secure.sh)
#   stack.sh stop     stops what this script started, by pid
#   stack.sh start|stop|status --cluster   three Kafka brokers and three Elasticsearch nodes (cluster.sh)
#   stack.sh status   pid, health and resident memory of each server
#   stack.sh stop-elasticsearch|stop-kafka|stop-nginx   one server down (outage tests); start restores it
#   stack.sh freeze-elasticsearch|thaw-elasticsearch   ES alive but silent (SIGSTOP), and back
#
# Everything lives under $CAIRN_STACK_DIR (default: <repo>/.cairn, git-ignored).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
stack_dir=${CAIRN_STACK_DIR:-$repo/.cairn}
pom="$here/pom.xml"

pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$pom" | head -n 1; }
kafka_version=$(pom_property kafka.version)
es_version=$(pom_property elasticsearch.version)

dist_dir="$stack_dir/dist"
kafka_home="$dist_dir/kafka-$kafka_version"
es_home="$dist_dir/elasticsearch-$es_version"
kafka_dir="$stack_dir/kafka"
es_dir="$stack_dir/elasticsearch"

kafka_host=127.0.0.1
kafka_port=${CAIRN_STACK_KAFKA_PORT:-9092}
controller_port=${CAIRN_STACK_KAFKA_CONTROLLER_PORT:-9093}
es_port=${CAIRN_STACK_ES_PORT:-9200}
es_transport_port=${CAIRN_STACK_ES_TRANSPORT_PORT:-9300}
es_url="http://127.0.0.1:$es_port"
deadline_seconds=${CAIRN_STACK_DEADLINE_SECONDS:-180}
kafka_heap=${CAIRN_STACK_KAFKA_HEAP:-512m}
es_heap=${CAIRN_STACK_ES_HEAP:-1g}
# Elasticsearch refuses to run as root, so as root it runs as this unprivileged account.
es_user=${CAIRN_STACK_ES_USER:-cairn-es}

log() { printf '[stack] %s\n' "$*"; }
# shellcheck source=secure.sh
. "$here/secure.sh"

# Servers this invocation started; a failed start stops them again rather than leaving half a stack.
started_here=()
die() {
  printf '[stack] error: %s\n' "$*" >&2
  local name
  for name in "${started_here[@]}"; do
    case $name in
      kafka) stop_one Kafka "$kafka_dir/kafka.pid" ;;
      elasticsearch) stop_one Elasticsearch "$es_dir/es.pid" ;;
      nginx) stop_one nginx "$nginx_dir/nginx.pid" ;;
    esac
  done
  exit 1
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
rss_mib() { ps -o rss= -p "$1" 2>/dev/null | awk '{printf "%d", $1/1024}'; }

es_healthy() {
  curl -fsS --max-time 5 "$es_url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}
kafka_healthy() {
  port_open "$kafka_port" && [ -f "$kafka_dir/kafka.log" ] && grep -q 'Kafka Server started' "$kafka_dir/kafka.log"
}

# --- prerequisites ---------------------------------------------------------------------------

java_major() { # prints the feature version of the JDK at $1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}

find_es_java_home() {
  # Elasticsearch 9 needs Java 21 or newer; Kafka is content with the default Java 17.
  if [ -n "${CAIRN_ES_JAVA_HOME:-}" ]; then echo "$CAIRN_ES_JAVA_HOME"; return; fi
  local best="" best_major=0 jdk major
  for jdk in /usr/lib/jvm/* ${JAVA_HOME:+"$JAVA_HOME"}; do
    [ -x "$jdk/bin/java" ] || continue
    major=$(java_major "$jdk"); [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$jdk; best_major=$major; fi
  done
  echo "$best"
}

check_prerequisites() {
  local missing=()
  command -v java >/dev/null || missing+=("java (a JDK 17 or newer, for Kafka)")
  command -v mvn >/dev/null || missing+=("mvn (Apache Maven, to fetch the servers from Maven Central)")
  command -v curl >/dev/null || missing+=("curl (for health checks)")
  [ ${#missing[@]} -eq 0 ] || die "missing on PATH: ${missing[*]}"
  es_java_home=$(find_es_java_home)
  [ -n "$es_java_home" ] || die "Elasticsearch $es_version needs a JDK 21 or newer: none found under /usr/lib/jvm; install one (e.g. Temurin 25) or set CAIRN_ES_JAVA_HOME"
}

resolve_distributions() {
  if [ -f "$kafka_home/lib/kafka_2.13-$kafka_version.jar" ] && [ -x "$es_home/bin/elasticsearch" ]; then return; fi
  log "resolving Kafka $kafka_version and Elasticsearch $es_version from Maven Central (first run only)"
  mkdir -p "$dist_dir"
  mvn -q -B -Dstyle.color=never -f "$pom" package "-Dstack.dir=$dist_dir" >"$stack_dir/maven.log" 2>&1 \
    || { tail -n 30 "$stack_dir/maven.log" >&2; die "Maven could not resolve the stack; full output in $stack_dir/maven.log"; }
}

# --- Kafka -----------------------------------------------------------------------------------

write_kafka_config() {
  mkdir -p "$kafka_dir/data"
  cat >"$kafka_dir/server.properties" <<EOF
# Written by tools/local-stack/stack.sh: one combined broker+controller for local use and tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$kafka_host:$controller_port
listeners=$(kafka_listeners),CONTROLLER://$kafka_host:$controller_port
advertised.listeners=$(kafka_listeners)
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$(kafka_protocol_map)
log.dirs=$kafka_dir/data
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
auto.create.topics.enable=false
$(kafka_secure_properties)
EOF
}

start_kafka() {
  if pid_alive "$kafka_dir/kafka.pid" && kafka_healthy; then log "Kafka already running (pid $(cat "$kafka_dir/kafka.pid"))"; return; fi
  if ! pid_alive "$kafka_dir/kafka.pid" && port_open "$kafka_port"; then
    die "port $kafka_port is taken by a process this script did not start; stop it or set CAIRN_STACK_KAFKA_PORT"
  fi
  pid_alive "$kafka_dir/kafka.pid" && { log "Kafka process alive but not ready yet"; return; }
  make_pki
  write_kafka_config
  local cp="$kafka_home/lib/*" scram=() fresh=0
  if [ ! -f "$kafka_dir/cluster.id" ]; then
    java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$kafka_dir/cluster.id"
  fi
  [ -f "$kafka_dir/data/meta.properties" ] || { fresh=1; mapfile -t scram < <(kafka_scram_format_args); }
  java -cp "$cp" kafka.tools.StorageTool format -t "$(cat "$kafka_dir/cluster.id")" \
    -c "$kafka_dir/server.properties" --ignore-formatted "${scram[@]}" >"$kafka_dir/format.log" 2>&1 \
    || die "formatting Kafka storage failed: $kafka_dir/format.log"
  if [ $fresh -eq 1 ]; then touch "$kafka_dir/scram-users"; fi
  : >"$kafka_dir/kafka.log"
  nohup java "-Xms256m" "-Xmx$kafka_heap" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn \
    -cp "$cp" kafka.Kafka "$kafka_dir/server.properties" >>"$kafka_dir/kafka.log" 2>&1 </dev/null &
  echo $! >"$kafka_dir/kafka.pid"
  started_here+=(kafka)
  log "Kafka starting (pid $!), log: $kafka_dir/kafka.log"
}

# --- Elasticsearch ---------------------------------------------------------------------------

run_as_es_user() { # runs "$@" as the account Elasticsearch uses
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  setpriv --reuid="$es_user" --regid="$es_user" --init-groups "$@"
}

prepare_es_account() {
  [ "$(id -u)" -eq 0 ] || return 0
  command -v setpriv >/dev/null || die "running as root needs setpriv (util-linux) to start Elasticsearch as $es_user"
  if ! id -u "$es_user" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$es_user" \
      || die "could not create the system account $es_user for Elasticsearch"
  fi
  # The distribution and data must be reachable by that account; a checkout under a private home
  # folder (/root) is not, so the node's files then move to a world-traversable place.
  if ! run_as_es_user test -x "$es_home/bin/elasticsearch"; then
    local elsewhere
    elsewhere="/var/tmp/cairn-stack-$(printf '%s' "$stack_dir" | sha256sum | cut -c1-12)"
    log "$stack_dir is not reachable by $es_user; keeping Elasticsearch under $elsewhere"
    mkdir -p "$elsewhere"; chmod 755 "$elsewhere"
    if [ ! -d "$elsewhere/elasticsearch-$es_version" ]; then cp -a "$es_home" "$elsewhere/"; fi
    es_home="$elsewhere/elasticsearch-$es_version"
    if [ ! -L "$es_dir" ]; then rm -rf "$es_dir"; ln -s "$elsewhere/node" "$es_dir"; fi
    mkdir -p "$elsewhere/node"
    # Every path Elasticsearch is given must be the real one: the link itself is behind /root.
    es_dir="$elsewhere/node"
    run_as_es_user test -x "$es_home/bin/elasticsearch" || die "$elsewhere is not reachable by $es_user either"
  fi
}

write_es_config() {
  mkdir -p "$es_dir/data" "$es_dir/logs" "$es_dir/config/jvm.options.d" "$es_dir/tmp"
  cp -n "$es_home/config/jvm.options" "$es_home/config/log4j2.properties" "$es_dir/config/"
  cat >"$es_dir/config/elasticsearch.yml" <<EOF
# Written by tools/local-stack/stack.sh: a single local node for development and tests.
cluster.name: cairn-local
node.name: cairn-local-1
path.data: $es_dir/data
path.logs: $es_dir/logs
network.host: 127.0.0.1
http.port: $es_port
transport.port: $es_transport_port
discovery.type: single-node
xpack.security.enabled: false
# A developer's disk filling up must not turn every index read-only mid-test.
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: true
EOF
  printf -- '-Xms%s\n-Xmx%s\n' "$es_heap" "$es_heap" >"$es_dir/config/jvm.options.d/heap.options"
  if [ "$(id -u)" -eq 0 ]; then chown -R "$es_user:$es_user" "$es_dir/"; fi
}

start_elasticsearch() {
  if pid_alive "$es_dir/es.pid" && es_healthy; then log "Elasticsearch already running (pid $(cat "$es_dir/es.pid"))"; return; fi
  if ! pid_alive "$es_dir/es.pid" && port_open "$es_port"; then
    die "port $es_port is taken by a process this script did not start; stop it or set CAIRN_STACK_ES_PORT"
  fi
  pid_alive "$es_dir/es.pid" && { log "Elasticsearch process alive but not ready yet"; return; }
  prepare_es_account
  write_es_config
  rm -f "$es_dir/es.pid"
  started_here+=(elasticsearch)
  run_as_es_user env ES_JAVA_HOME="$es_java_home" ES_PATH_CONF="$es_dir/config" ES_TMPDIR="$es_dir/tmp" \
    ES_JAVA_OPTS="${CAIRN_STACK_ES_JAVA_OPTS:-}" \
    "$es_home/bin/elasticsearch" -d -p "$es_dir/es.pid" >"$es_dir/launcher.log" 2>&1 </dev/null \
    || die "Elasticsearch did not start: $es_dir/launcher.log and $es_dir/logs/cairn-local.log"
  log "Elasticsearch starting (pid $(cat "$es_dir/es.pid" 2>/dev/null || echo '?')), logs: $es_dir/logs/"
}

# --- commands --------------------------------------------------------------------------------

wait_healthy() {
  local started=$SECONDS kafka_ok=0 es_ok=0
  while [ $((SECONDS - started)) -lt "$deadline_seconds" ]; do
    [ $kafka_ok -eq 1 ] || { kafka_healthy && kafka_ok=1; }
    [ $es_ok -eq 1 ] || { es_healthy && es_ok=1; }
    [ $kafka_ok -eq 1 ] && [ $es_ok -eq 1 ] && return 0
    if ! pid_alive "$kafka_dir/kafka.pid" && [ $kafka_ok -eq 0 ]; then die "Kafka exited during start-up; see $kafka_dir/kafka.log"; fi
    sleep 0.5
  done
  [ $kafka_ok -eq 1 ] || log "Kafka not ready after ${deadline_seconds}s; see $kafka_dir/kafka.log"
  [ $es_ok -eq 1 ] || log "Elasticsearch not ready after ${deadline_seconds}s; see $es_dir/logs/"
  return 1
}

secure_ready() { [ "$secure" -eq 0 ] || { pid_alive "$nginx_dir/nginx.pid" && nginx_healthy && [ -f "$kafka_dir/scram-users" ]; }; }

cmd_start() {
  if pid_alive "$kafka_dir/kafka.pid" && pid_alive "$es_dir/es.pid" && kafka_healthy && es_healthy && secure_ready; then
    log "stack already running: Kafka $kafka_host:$kafka_port, Elasticsearch $es_url"; return 0
  fi
  check_prerequisites
  resolve_distributions
  local t0=$SECONDS
  # A broker started before the secure listeners existed is restarted once to get them.
  if pid_alive "$kafka_dir/kafka.pid" && kafka_healthy && ! port_open "$kafka_sasl_port"; then
    log "Kafka runs without its TLS listeners; restarting it"
    stop_one Kafka "$kafka_dir/kafka.pid"
  fi
  start_kafka
  start_elasticsearch
  wait_healthy || die "the stack did not become healthy within ${deadline_seconds}s"
  log "ready in $((SECONDS - t0))s: Kafka $kafka_host:$kafka_port, Elasticsearch $es_url (logs under $stack_dir)"
  if [ "$secure" -eq 1 ]; then
    local t1=$SECONDS
    ensure_scram_users
    start_nginx
    local waited=0
    until nginx_healthy; do
      [ $waited -lt 40 ] || die "nginx did not answer for Elasticsearch over TLS; see $nginx_dir/error.log"
      sleep 0.25; waited=$((waited + 1))
    done
    write_secure_env
    log "secure side ready in $((SECONDS - t1))s more: Kafka SASL_SSL $kafka_host:$kafka_sasl_port, mTLS $kafka_host:$kafka_mtls_port, Elasticsearch https://localhost:$es_tls_port; settings in $secure_dir/cairn.env"
  fi
}

stop_one() { # name pidfile
  local name=$1 pidfile=$2 pid waited=0
  if ! pid_alive "$pidfile"; then log "$name not running"; rm -f "$pidfile"; return; fi
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null && [ $waited -lt 60 ]; do sleep 0.5; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then log "$name (pid $pid) ignored SIGTERM for 30s; sending SIGKILL"; kill -KILL "$pid"; fi
  rm -f "$pidfile"
  log "$name stopped (pid $pid)"
}

cmd_stop() {
  if [ -f "$nginx_dir/nginx.pid" ]; then stop_one nginx "$nginx_dir/nginx.pid"; fi
  stop_one Elasticsearch "$es_dir/es.pid"
  stop_one Kafka "$kafka_dir/kafka.pid"
}

status_one() { # name pidfile health-function address
  local name=$1 pidfile=$2 health=$3 address=$4
  if pid_alive "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    if $health; then echo "$name: running, healthy, $address, pid $pid, RSS $(rss_mib "$pid") MiB"
    else echo "$name: running, NOT healthy, $address, pid $pid"; return 1; fi
  else
    echo "$name: stopped"; return 1
  fi
}

cmd_status() {
  local rc=0
  status_one "Kafka $kafka_version" "$kafka_dir/kafka.pid" kafka_healthy "$kafka_host:$kafka_port" || rc=1
  status_one "Elasticsearch $es_version" "$es_dir/es.pid" es_healthy "$es_url" || rc=1
  if [ "$secure" -eq 1 ] || pid_alive "$nginx_dir/nginx.pid"; then
    status_one "nginx (Elasticsearch over TLS)" "$nginx_dir/nginx.pid" nginx_healthy "https://localhost:$es_tls_port" || rc=1
  fi
  # The three-node cluster (cluster.sh), when it runs beside the single nodes.
  if compgen -G "$stack_dir/cluster/*/*.pid" >/dev/null; then bash "$here/cluster.sh" status || rc=1; fi
  return $rc
}

# Sourced by cluster.sh for the shared parts (prerequisites, distributions, the ES account).
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

command=${1:-}
for argument in "$@"; do
  # Three Kafka brokers and three Elasticsearch nodes instead of one each (cluster.sh).
  if [ "$argument" = "--cluster" ]; then exec bash "$here/cluster.sh" "${@/--cluster/}"; fi
done
secure=0
[ "${CAIRN_STACK_SECURE:-0}" = "1" ] && secure=1
shift || true
for argument in "$@"; do
  case $argument in
    --secure) secure=1 ;;
    *) echo "unknown option: $argument" >&2; exit 2 ;;
  esac
done

case "$command" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  # For tests of how Cairn behaves while Elasticsearch is away; `start` brings it back.
  stop-elasticsearch) stop_one Elasticsearch "$es_dir/es.pid" ;;
  stop-kafka) stop_one Kafka "$kafka_dir/kafka.pid" ;;
  stop-nginx) stop_one nginx "$nginx_dir/nginx.pid" ;;
  # Elasticsearch alive but not answering (SIGSTOP), as under a long GC pause or a hung disk.
  freeze-elasticsearch) pid_alive "$es_dir/es.pid" || die "Elasticsearch is not running"; kill -STOP "$(cat "$es_dir/es.pid")"; log "Elasticsearch frozen" ;;
  thaw-elasticsearch) pid_alive "$es_dir/es.pid" || die "Elasticsearch is not running"; kill -CONT "$(cat "$es_dir/es.pid")"; log "Elasticsearch thawed" ;;
  *) echo "usage: $0 start [--secure]|stop|status [--secure]|stop-elasticsearch|stop-kafka|freeze-elasticsearch|thaw-elasticsearch" >&2; exit 2 ;;
esac
