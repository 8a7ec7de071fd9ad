#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, combined broker + controller) for the integration suites:
#   bash scripts/kafka.sh start|stop|status
# and a three-node cluster (each node a combined broker + controller; replication factor 3, min.insync.replicas=2)
# for the suite that loses a broker:
#   bash scripts/kafka.sh cluster start|stop|status|kill <node>
# KAFKA_PORT / KAFKA_CONTROLLER_PORT / TRIALSTREAM_KAFKA_RUN_DIR run a second, private broker (the outage suite
# stops and restarts one); KAFKA_KEEP_DATA=1 restarts on the existing log dir instead of a fresh one.
# No Debian package and no Docker here, so the broker's jars come from Maven Central (scripts/kafka/pom.xml)
# into a cache outside the repository; a second start only formats a fresh log dir and boots the JVM.
set -euo pipefail

KAFKA_VERSION=3.9.1
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
POM="$REPO/scripts/kafka/pom.xml"
CACHE="${TRIALSTREAM_CACHE:-$HOME/.cache/trialstream}/kafka-$KAFKA_VERSION"
LIBS="$CACHE/libs"
RUN_DIR="${TRIALSTREAM_KAFKA_RUN_DIR:-${TMPDIR:-/tmp}/trialstream-kafka}"
PID_FILE="$RUN_DIR/kafka.pid"
LOG_FILE="$RUN_DIR/kafka.log"
DATA_DIR="$RUN_DIR/data"
HOST=127.0.0.1
PORT=${KAFKA_PORT:-9092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
# Any fixed id will do: each start formats a new log dir, and nothing outside this machine sees it.
CLUSTER_ID=dHJpYWxzdHJlYW0tdGVzdA
# The cluster: node n listens on CLUSTER_BASE_PORT + 2(n-1) (broker) and the port after it (controller).
CLUSTER_DIR="${TRIALSTREAM_KAFKA_CLUSTER_DIR:-${TMPDIR:-/tmp}/trialstream-kafka-cluster}"
CLUSTER_BASE_PORT=${KAFKA_CLUSTER_BASE_PORT:-29092}
CLUSTER_NODES=(1 2 3)
CLUSTER_CLUSTER_ID=dHJpYWxzdHJlYW0tY2x1cw
START_TIMEOUT=${KAFKA_START_TIMEOUT:-120}
STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}

say() { echo "kafka: $*"; }
fail() {
  echo "kafka: $*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    fail "needs root to run: $*"
  fi
}

ensure_java_and_maven() {
  command -v java >/dev/null && command -v mvn >/dev/null && return
  say "installing Java and Maven from Debian"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq >/dev/null || fail "apt-get update failed"
  as_root apt-get install -y -qq default-jre-headless maven >/dev/null || fail "apt-get install default-jre-headless maven failed"
}

pom_digest() { sha256sum "$POM" | cut -d' ' -f1; }

# The cache is keyed by the pom's content, so editing the pom refetches instead of running stale jars.
ensure_jars() {
  local digest
  digest=$(pom_digest)
  if [ -f "$CACHE/pom.sha256" ] && [ "$(cat "$CACHE/pom.sha256")" = "$digest" ] && [ -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]; then
    return
  fi
  say "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS"
  mkdir -p "$CACHE"
  local staging="$CACHE/libs.partial"
  rm -rf "$staging"
  mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DoutputDirectory="$staging" >"$CACHE/mvn.log" 2>&1 || {
    tail -n 40 "$CACHE/mvn.log" >&2
    fail "mvn could not fetch the broker's jars (full output: $CACHE/mvn.log)"
  }
  rm -rf "$LIBS"
  mv "$staging" "$LIBS"
  echo "$digest" >"$CACHE/pom.sha256"
}

running_pid() { pid_in "$PID_FILE"; }

pid_in() {
  [ -f "$1" ] || return 1
  local pid
  pid=$(cat "$1")
  # A pid file can outlive its process, and the pid can be reused by something else.
  if [ -n "$pid" ] && grep -qa 'kafka\.Kafka' "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
    return 0
  fi
  return 1
}

port_taken() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Ready means the broker answers a metadata request and lists itself (or, for a cluster, all its brokers), not merely
# that its port is open.
broker_answers() {
  local broker=${1:-$HOST:$PORT} min_brokers=${2:-1}
  if [ -d "$REPO/node_modules/kafkajs" ] && command -v node >/dev/null; then
    REPO="$REPO" BROKER="$broker" MIN_BROKERS="$min_brokers" timeout 15 node -e '
      const { Kafka, logLevel } = require(require.resolve("kafkajs", { paths: [process.env.REPO] }));
      const admin = new Kafka({
        clientId: "trialstream-kafka-sh", brokers: [process.env.BROKER], logLevel: logLevel.NOTHING,
        connectionTimeout: 1000, requestTimeout: 5000, retry: { retries: 0 },
      }).admin();
      admin.connect()
        .then(() => admin.describeCluster())
        .then((cluster) => process.exit(cluster.brokers.length >= Number(process.env.MIN_BROKERS) && cluster.controller !== null ? 0 : 1))
        .catch(() => process.exit(1));
    ' >/dev/null 2>&1
  else
    timeout 30 java -Xmx64m -Dlog4j.configuration="file:$RUN_DIR/log4j-tools.properties" -cp "$LIBS/*" \
      kafka.admin.BrokerApiVersionsCommand --bootstrap-server "$broker" >/dev/null 2>&1
  fi
}

# server_properties <node id> <port> <controller port> <data dir> <quorum voters> <replication factor> <min in-sync>
server_properties() {
  cat <<EOF
process.roles=broker,controller
node.id=$1
controller.quorum.voters=$5
listeners=PLAINTEXT://$HOST:$2,CONTROLLER://$HOST:$3
advertised.listeners=PLAINTEXT://$HOST:$2
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$4
num.partitions=1
default.replication.factor=$6
min.insync.replicas=$7
offsets.topic.replication.factor=$6
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$6
transaction.state.log.min.isr=$7
auto.create.topics.enable=true
# A replica that fell behind never becomes leader: it would drop what the in-sync ones acknowledged.
unclean.leader.election.enable=false
delete.topic.enable=true
# Tests start consumer groups all the time; the default 3 s delay would be pure waiting.
group.initial.rebalance.delay.ms=0
# Two cores: more threads only contend.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
}

write_log4j_config() {
  mkdir -p "$RUN_DIR"
  cat >"$RUN_DIR/log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
# One line that says the broker came up, for anyone reading the log.
log4j.logger.kafka.server.KafkaRaftServer=INFO
EOF
  cat >"$RUN_DIR/log4j-tools.properties" <<'EOF'
log4j.rootLogger=ERROR, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=%p %m (%c)%n
EOF
}

write_config() {
  server_properties 1 "$PORT" "$CONTROLLER_PORT" "$DATA_DIR" "1@$HOST:$CONTROLLER_PORT" 1 1 >"$RUN_DIR/server.properties"
  write_log4j_config
}

log_tail() {
  echo "--- last lines of $LOG_FILE ---" >&2
  tail -n 40 "$LOG_FILE" >&2 2>/dev/null || true
}

wait_until_ready() {
  local pid=$1 deadline=$((SECONDS + START_TIMEOUT))
  until broker_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail
      rm -f "$PID_FILE"
      fail "the broker exited during start-up"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail
      fail "the broker (pid $pid) did not answer on $HOST:$PORT within ${START_TIMEOUT}s; stop it with \`bash scripts/kafka.sh stop\`"
    fi
    sleep 1
  done
}

start() {
  mkdir -p "$RUN_DIR"
  # Two callers starting at once (a developer and a script) must not launch two brokers.
  exec 9>"$RUN_DIR/lock"
  flock 9

  local pid
  if pid=$(running_pid); then
    wait_until_ready "$pid"
    say "already running (pid $pid) on $HOST:$PORT"
    return
  fi
  if port_taken "$PORT" || port_taken "$CONTROLLER_PORT"; then
    fail "port $PORT or $CONTROLLER_PORT on $HOST is taken by a process this script did not start; stop it first"
  fi

  ensure_java_and_maven
  ensure_jars
  write_config

  local began=$SECONDS
  # Every start gets an empty log: suites create unique topics, and stale ones would only slow recovery.
  if [ "${KAFKA_KEEP_DATA:-0}" = 1 ] && [ -f "$DATA_DIR/meta.properties" ]; then
    :
  else
    rm -rf "$DATA_DIR"
    java -Xmx256m -Dlog4j.configuration="file:$RUN_DIR/log4j-tools.properties" -cp "$LIBS/*" \
    kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$RUN_DIR/server.properties" >"$RUN_DIR/format.log" 2>&1 || {
    cat "$RUN_DIR/format.log" >&2
    fail "formatting the KRaft log dir $DATA_DIR failed"
  }
  fi

  : >"$LOG_FILE"
  # setsid: the broker outlives the shell that started it; 9>&- : it must not hold the start lock.
  setsid java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$RUN_DIR/log4j.properties" -cp "$LIBS/*" \
    kafka.Kafka "$RUN_DIR/server.properties" </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  wait_until_ready "$pid"
  say "started (pid $pid) on $HOST:$PORT in $((SECONDS - began))s; log: $LOG_FILE"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    say "not running"
    return
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "no clean shutdown within ${STOP_TIMEOUT}s; killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.3
  done
  rm -f "$PID_FILE"
  say "stopped"
}

status() {
  local pid
  if pid=$(running_pid); then
    if broker_answers; then
      say "running (pid $pid) on $HOST:$PORT"
    else
      say "starting or unresponsive (pid $pid); log: $LOG_FILE"
    fi
    return 0
  fi
  say "not running"
  return 3
}

node_port() { echo $((CLUSTER_BASE_PORT + 2 * ($1 - 1))); }
node_controller_port() { echo $((CLUSTER_BASE_PORT + 2 * ($1 - 1) + 1)); }
node_dir() { echo "$CLUSTER_DIR/node-$1"; }
# The pid file names the JVM unless setsid had to fork to detach it: then the JVM is found by its own config file.
node_pid() {
  local dir pid
  dir=$(node_dir "$1")
  pid_in "$dir/kafka.pid" && return 0
  [ -f "$dir/kafka.pid" ] || return 1
  pid=$(pgrep -f -- "kafka\.Kafka $dir/server\.properties" | head -n 1) || return 1
  echo "$pid" >"$dir/kafka.pid"
  echo "$pid"
}

cluster_voters() {
  local voters="" n
  for n in "${CLUSTER_NODES[@]}"; do voters+="${voters:+,}$n@$HOST:$(node_controller_port "$n")"; done
  echo "$voters"
}

cluster_bootstrap() {
  local brokers="" n
  for n in "${CLUSTER_NODES[@]}"; do brokers+="${brokers:+,}$HOST:$(node_port "$n")"; done
  echo "$brokers"
}

# A node restarted after a crash keeps its log dir: it rejoins the quorum and catches up its replicas.
node_start() {
  local n=$1 dir
  dir=$(node_dir "$n")
  mkdir -p "$dir"
  server_properties "$n" "$(node_port "$n")" "$(node_controller_port "$n")" "$dir/data" "$(cluster_voters)" 3 2 >"$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    java -Xmx256m -Dlog4j.configuration="file:$RUN_DIR/log4j-tools.properties" -cp "$LIBS/*" \
      kafka.tools.StorageTool format -t "$CLUSTER_CLUSTER_ID" -c "$dir/server.properties" >"$dir/format.log" 2>&1 || {
      cat "$dir/format.log" >&2
      fail "formatting node $n's log dir $dir/data failed"
    }
  fi
  setsid java -Xms128m -Xmx384m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$RUN_DIR/log4j.properties" -cp "$LIBS/*" \
    kafka.Kafka "$dir/server.properties" </dev/null >>"$dir/kafka.log" 2>&1 9>&- &
  echo $! >"$dir/kafka.pid"
}

cluster_start() {
  mkdir -p "$CLUSTER_DIR"
  exec 9>"$CLUSTER_DIR/lock"
  flock 9

  local n running=() missing=()
  for n in "${CLUSTER_NODES[@]}"; do
    if node_pid "$n" >/dev/null; then running+=("$n"); else missing+=("$n"); fi
  done
  for n in "${missing[@]}"; do
    if port_taken "$(node_port "$n")" || port_taken "$(node_controller_port "$n")"; then
      fail "port $(node_port "$n") or $(node_controller_port "$n") on $HOST is taken by a process this script did not start"
    fi
  done

  local began=$SECONDS
  if [ "${#missing[@]}" -gt 0 ]; then
    ensure_java_and_maven
    ensure_jars
    write_log4j_config
    # A whole new cluster starts empty, as the single broker does; a lone missing node keeps its data.
    if [ "${#running[@]}" -eq 0 ]; then rm -rf "$CLUSTER_DIR"/node-*/data; fi
    for n in "${missing[@]}"; do node_start "$n"; done
  fi

  local deadline=$((SECONDS + START_TIMEOUT))
  for n in "${CLUSTER_NODES[@]}"; do
    until broker_answers "$HOST:$(node_port "$n")" "${#CLUSTER_NODES[@]}"; do
      if ! node_pid "$n" >/dev/null; then
        tail -n 40 "$(node_dir "$n")/kafka.log" >&2 || true
        fail "node $n exited during start-up"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        tail -n 40 "$(node_dir "$n")/kafka.log" >&2 || true
        fail "node $n did not answer on $HOST:$(node_port "$n") within ${START_TIMEOUT}s; stop the cluster with \`bash scripts/kafka.sh cluster stop\`"
      fi
      sleep 1
    done
  done
  say "cluster running on $(cluster_bootstrap) (started node(s) ${missing[*]:-none} in $((SECONDS - began))s); logs: $CLUSTER_DIR/node-*/kafka.log"
}

stop_pid() {
  local pid=$1 deadline=$((SECONDS + STOP_TIMEOUT))
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.3
  done
}

cluster_stop() {
  local n pid pids=()
  for n in "${CLUSTER_NODES[@]}"; do
    if pid=$(node_pid "$n"); then pids+=("$pid"); fi
  done
  for pid in "${pids[@]}"; do stop_pid "$pid" & done
  wait
  rm -rf "$CLUSTER_DIR"/node-*/data "$CLUSTER_DIR"/node-*/kafka.pid
  say "cluster stopped"
}

# SIGKILL one node, as a crashed machine would stop it (for the suite that loses a broker).
cluster_kill() {
  local n=${1:-} pid
  [[ " ${CLUSTER_NODES[*]} " == *" $n "* ]] || fail "usage: bash scripts/kafka.sh cluster kill <node: ${CLUSTER_NODES[*]}>"
  if ! pid=$(node_pid "$n"); then
    say "node $n is not running"
    return
  fi
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  say "killed node $n (pid $pid)"
}

cluster_status() {
  local n pid all=0
  for n in "${CLUSTER_NODES[@]}"; do
    if pid=$(node_pid "$n") && broker_answers "$HOST:$(node_port "$n")"; then
      say "node $n running (pid $pid) on $HOST:$(node_port "$n")"
    elif pid=$(node_pid "$n"); then
      say "node $n starting or unresponsive (pid $pid)"
      all=3
    else
      say "node $n not running"
      all=3
    fi
  done
  return "$all"
}

cluster() {
  RUN_DIR=$CLUSTER_DIR
  case "${1:-}" in
    start) cluster_start ;;
    stop) cluster_stop ;;
    status) cluster_status ;;
    kill) cluster_kill "${2:-}" ;;
    *)
      echo "usage: bash scripts/kafka.sh cluster start|stop|status|kill <node>" >&2
      exit 2
      ;;
  esac
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  cluster) cluster "${2:-}" "${3:-}" ;;
  *)
    echo "usage: bash scripts/kafka.sh start|stop|status, or bash scripts/kafka.sh cluster start|stop|status|kill <node>" >&2
    exit 2
    ;;
esac
