#!/usr/bin/env bash
# Cairn's local cluster: three Kafka brokers (KRaft, each broker and controller; replication
# factor 3, min.insync.replicas 2) and three Elasticsearch nodes, from the same Maven artifacts as
# the single-node stack, on loopback ports of their own, so both can run side by side.
#
#   cluster.sh start                 idempotent; starts whichever nodes are not running, waits
#                                    for all three brokers and a green three-node cluster
#   cluster.sh stop                  stops every node this script started, by pid
#   cluster.sh status                each node: pid, health, resident memory
#   cluster.sh kill kafka|elasticsearch N   SIGKILL of one node (fault tests); start restores it
#   cluster.sh env                   the settings that point Cairn at this cluster
#
# Everything lives under $CAIRN_STACK_DIR/cluster (default: <repo>/.cairn/cluster).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=stack.sh
. "$here/stack.sh"

cluster_dir="$stack_dir/cluster"
nodes=(1 2 3)
kafka_base_port=${CAIRN_CLUSTER_KAFKA_PORT:-19092}
controller_base_port=${CAIRN_CLUSTER_CONTROLLER_PORT:-19192}
es_base_port=${CAIRN_CLUSTER_ES_PORT:-19200}
es_transport_base_port=${CAIRN_CLUSTER_ES_TRANSPORT_PORT:-19300}
cluster_es_heap=${CAIRN_CLUSTER_ES_HEAP:-768m}
cluster_kafka_heap=${CAIRN_CLUSTER_KAFKA_HEAP:-384m}

kafka_port_of() { echo $((kafka_base_port + $1 - 1)); }
controller_port_of() { echo $((controller_base_port + $1 - 1)); }
es_port_of() { echo $((es_base_port + $1 - 1)); }
es_transport_port_of() { echo $((es_transport_base_port + $1 - 1)); }
broker_dir() { echo "$cluster_dir/kafka-$1"; }
es_node_dir() { echo "$cluster_dir/es-$1"; }

joined() { local IFS=,; echo "$*"; }
brokers_list() { local n out=(); for n in "${nodes[@]}"; do out+=("127.0.0.1:$(kafka_port_of "$n")"); done; joined "${out[@]}"; }
es_urls() { local n out=(); for n in "${nodes[@]}"; do out+=("http://127.0.0.1:$(es_port_of "$n")"); done; joined "${out[@]}"; }

broker_healthy() { port_open "$(kafka_port_of "$1")" && grep -q 'Kafka Server started' "$(broker_dir "$1")/kafka.log" 2>/dev/null; }
es_node_healthy() { curl -fsS --max-time 3 "http://127.0.0.1:$(es_port_of "$1")/_cluster/health?timeout=1s" >/dev/null 2>&1; }
cluster_green() {
  curl -fsS --max-time 5 "http://127.0.0.1:$(es_port_of "${1:-1}")/_cluster/health?wait_for_status=green&wait_for_nodes=3&timeout=2s" 2>/dev/null |
    grep -q '"status":"green"'
}

write_broker_config() { # node
  local n=$1 dir voters=() v
  dir=$(broker_dir "$n")
  for v in "${nodes[@]}"; do voters+=("$v@127.0.0.1:$(controller_port_of "$v")"); done
  mkdir -p "$dir/data"
  cat >"$dir/server.properties" <<CONF
# Written by tools/local-stack/cluster.sh: broker $n of three, each also a KRaft controller.
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(joined "${voters[@]}")
listeners=PLAINTEXT://127.0.0.1:$(kafka_port_of "$n"),CONTROLLER://127.0.0.1:$(controller_port_of "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(kafka_port_of "$n")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
unclean.leader.election.enable=false
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
auto.create.topics.enable=false
CONF
}

start_broker() { # node
  local n=$1 dir cp="$kafka_home/lib/*"
  dir=$(broker_dir "$n")
  if pid_alive "$dir/kafka.pid"; then return; fi
  port_open "$(kafka_port_of "$n")" && die "port $(kafka_port_of "$n") is taken by a process this script did not start"
  write_broker_config "$n"
  [ -f "$cluster_dir/kafka-cluster.id" ] ||
    java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$cluster_dir/kafka-cluster.id"
  java -cp "$cp" kafka.tools.StorageTool format -t "$(cat "$cluster_dir/kafka-cluster.id")" \
    -c "$dir/server.properties" --ignore-formatted >"$dir/format.log" 2>&1 ||
    die "formatting broker $n's storage failed: $dir/format.log"
  : >"$dir/kafka.log"
  nohup java -Xms128m "-Xmx$cluster_kafka_heap" -XX:+UseG1GC -XX:ActiveProcessorCount=1 -Djava.awt.headless=true \
    -cp "$cp" kafka.Kafka "$dir/server.properties" >>"$dir/kafka.log" 2>&1 </dev/null &
  echo $! >"$dir/kafka.pid"
  log "Kafka broker $n starting (pid $!) on 127.0.0.1:$(kafka_port_of "$n")"
}

write_es_node_config() { # node
  local n=$1 dir seeds=() masters=() v
  dir=$(es_node_dir "$n")
  for v in "${nodes[@]}"; do seeds+=("127.0.0.1:$(es_transport_port_of "$v")"); masters+=("cairn-es-$v"); done
  mkdir -p "$dir/data" "$dir/logs" "$dir/config/jvm.options.d" "$dir/tmp"
  cp -n "$es_home/config/jvm.options" "$es_home/config/log4j2.properties" "$dir/config/"
  cat >"$dir/config/elasticsearch.yml" <<CONF
# Written by tools/local-stack/cluster.sh: node $n of a three-node cluster on loopback.
cluster.name: cairn-cluster
node.name: cairn-es-$n
path.data: $dir/data
path.logs: $dir/logs
network.host: 127.0.0.1
http.port: $(es_port_of "$n")
transport.port: $(es_transport_port_of "$n")
discovery.seed_hosts: [$(joined "${seeds[@]}")]
cluster.initial_master_nodes: [$(joined "${masters[@]}")]
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: true
node.processors: 1
CONF
  printf -- '-Xms%s\n-Xmx%s\n' "$cluster_es_heap" "$cluster_es_heap" >"$dir/config/jvm.options.d/heap.options"
  if [ "$(id -u)" -eq 0 ]; then chown -R "$es_user:$es_user" "$dir/"; fi
}

start_es_node() { # node
  local n=$1 dir
  dir=$(es_node_dir "$n")
  if pid_alive "$dir/es.pid"; then return; fi
  port_open "$(es_port_of "$n")" && die "port $(es_port_of "$n") is taken by a process this script did not start"
  write_es_node_config "$n"
  rm -f "$dir/es.pid"
  run_as_es_user env ES_JAVA_HOME="$es_java_home" ES_PATH_CONF="$dir/config" ES_TMPDIR="$dir/tmp" \
    "$es_home/bin/elasticsearch" -d -p "$dir/es.pid" >"$dir/launcher.log" 2>&1 </dev/null ||
    die "Elasticsearch node $n did not start: $dir/launcher.log and $dir/logs/"
  log "Elasticsearch node $n starting (pid $(cat "$dir/es.pid" 2>/dev/null || echo '?')) on http://127.0.0.1:$(es_port_of "$n")"
}

cluster_start() {
  check_prerequisites
  resolve_distributions
  prepare_es_account
  mkdir -p "$cluster_dir"
  if [ "$(id -u)" -eq 0 ]; then chmod 755 "$cluster_dir"; fi
  local t0=$SECONDS n
  for n in "${nodes[@]}"; do start_broker "$n"; done
  for n in "${nodes[@]}"; do start_es_node "$n"; done
  while [ $((SECONDS - t0)) -lt "$deadline_seconds" ]; do
    local ready=1
    for n in "${nodes[@]}"; do broker_healthy "$n" || ready=0; done
    [ $ready -eq 1 ] && cluster_green && break
    for n in "${nodes[@]}"; do
      pid_alive "$(broker_dir "$n")/kafka.pid" || die "Kafka broker $n exited during start-up; see $(broker_dir "$n")/kafka.log"
    done
    sleep 1
  done
  [ $((SECONDS - t0)) -lt "$deadline_seconds" ] || die "the cluster was not ready within ${deadline_seconds}s"
  log "cluster ready in $((SECONDS - t0))s: Kafka $(brokers_list), Elasticsearch $(es_urls)"
}

cluster_stop() {
  local n pidfile
  for n in "${nodes[@]}"; do stop_one "Elasticsearch node $n" "$(es_node_dir "$n")/es.pid"; done
  # All brokers at once: the last one left alone waits 30 s for a controller quorum that is gone.
  for n in "${nodes[@]}"; do
    pidfile="$(broker_dir "$n")/kafka.pid"
    if pid_alive "$pidfile"; then kill -TERM "$(cat "$pidfile")"; fi
  done
  for n in "${nodes[@]}"; do stop_one "Kafka broker $n" "$(broker_dir "$n")/kafka.pid"; done
}

cluster_status() {
  local rc=0 n
  for n in "${nodes[@]}"; do
    status_one "Kafka broker $n" "$(broker_dir "$n")/kafka.pid" "broker_healthy $n" "127.0.0.1:$(kafka_port_of "$n")" || rc=1
  done
  for n in "${nodes[@]}"; do
    status_one "Elasticsearch node $n" "$(es_node_dir "$n")/es.pid" "es_node_healthy $n" "http://127.0.0.1:$(es_port_of "$n")" || rc=1
  done
  return $rc
}

cluster_kill() { # kafka|elasticsearch node
  local kind=$1 n=$2 pidfile
  case $kind in
    kafka) pidfile="$(broker_dir "$n")/kafka.pid" ;;
    elasticsearch) pidfile="$(es_node_dir "$n")/es.pid" ;;
    *) die "kill: kafka or elasticsearch, not $kind" ;;
  esac
  pid_alive "$pidfile" || die "$kind node $n is not running"
  kill -KILL "$(cat "$pidfile")"
  while pid_alive "$pidfile"; do sleep 0.1; done
  rm -f "$pidfile"
  log "$kind node $n killed (SIGKILL)"
}

case "${1:-}" in
  start) cluster_start ;;
  stop) cluster_stop ;;
  status) cluster_status ;;
  kill) cluster_kill "${2:-}" "${3:-}" ;;
  env) printf 'KAFKA_BROKERS=%s\nELASTICSEARCH_URL=%s\nELASTICSEARCH_REPLICAS=1\nCAIRN_TOPIC_REPLICATION_FACTOR=3\nCAIRN_TOPIC_MIN_INSYNC_REPLICAS=2\n' "$(brokers_list)" "$(es_urls)" ;;
  *) echo "usage: $0 start|stop|status|kill kafka|elasticsearch N|env" >&2; exit 2 ;;
esac
