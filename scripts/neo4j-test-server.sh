#!/usr/bin/env bash
# A real Neo4j Community server for development and tests (tests/neo4j_server/, Java + Maven).
#
#   scripts/neo4j-test-server.sh start      # build if needed, start in the background, wait for Bolt
#   eval "$(scripts/neo4j-test-server.sh env)"   # NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD
#   scripts/neo4j-test-server.sh status     # running or not, and where
#   scripts/neo4j-test-server.sh stop       # shut it down (its data folder is deleted)
#   scripts/neo4j-test-server.sh build      # only build (downloads from Maven Central once)
#
# Settings (environment):
#   NEO4J_TEST_VERSION  Neo4j version (default: the pom's, 5.26 LTS); a calendar version such
#                       as 2026.08.1 needs Java 21+ (set JAVA_HOME to such a JDK)
#   NEO4J_TEST_HEAP     JVM heap (default 1g); NEO4J_TEST_PAGECACHE page cache in MiB (128)
#   NEO4J_TEST_JIT      quick (default: C1 only, fastest start) or full (long runs, benchmarks)
#   NEO4J_TEST_PORT     Bolt port (default: a free one); NEO4J_TEST_PASSWORD (default: random)
#   NEO4J_TEST_RUN_DIR  where the pid, log and env files live (default tests/neo4j_server/run)
# The first build downloads Neo4j into ~/.m2; later builds run offline.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROJECT="$ROOT/tests/neo4j_server"
DEFAULT_VERSION="$(sed -n 's:.*<neo4j.version>\(5[^<]*\)</neo4j.version>.*:\1:p' "$PROJECT/pom.xml" | head -n1)"
VERSION="${NEO4J_TEST_VERSION:-$DEFAULT_VERSION}"
RUN_DIR="${NEO4J_TEST_RUN_DIR:-$PROJECT/run}"
PID_FILE="$RUN_DIR/server.pid"
ENV_FILE="$RUN_DIR/server.env"
LOG_FILE="$RUN_DIR/server.log"
JAR="$PROJECT/target/$VERSION/neo4j-test-server.jar"
START_TIMEOUT="${NEO4J_TEST_START_TIMEOUT:-180}"

if [ -n "${JAVA_HOME:-}" ]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(command -v java || true)"
fi

die() { echo "neo4j-test-server: $*" >&2; exit 1; }

need_tools() {
  [ -n "$JAVA" ] && [ -x "$JAVA" ] || die "java not found: install a JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless)"
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven 3.8+ (Debian: apt-get install maven)"
}

release_for() {
  # Neo4j 5.x runs on Java 17; calendar versions (2025.x and later) need Java 21.
  case "$1" in
    5.*|4.*) echo 17 ;;
    *) echo 21 ;;
  esac
}

build() {
  need_tools
  if [ -f "$JAR" ] && [ "$JAR" -nt "$PROJECT/pom.xml" ] \
     && [ -z "$(find "$PROJECT/src" -newer "$JAR" -type f -print -quit)" ]; then
    return 0
  fi
  local args=(-q -B -f "$PROJECT/pom.xml" -Dneo4j.version="$VERSION" -Dmaven.compiler.release="$(release_for "$VERSION")" package)
  echo "neo4j-test-server: building Neo4j $VERSION test server" >&2
  if ! mvn -o "${args[@]}" >"$PROJECT/.build.log" 2>&1; then
    # Not everything is in ~/.m2 yet: the first build downloads from Maven Central.
    mvn "${args[@]}" >"$PROJECT/.build.log" 2>&1 || { cat "$PROJECT/.build.log" >&2; die "build failed"; }
  fi
  rm -f "$PROJECT/.build.log"
}

jvm_options() {
  # A small heap and page cache; the serial collector and the quick (C1) compiler only, which
  # start fastest on a busy 2-core machine (NEO4J_TEST_JIT=full for long runs: benchmarks).
  echo -n "-Xms256m -Xmx${NEO4J_TEST_HEAP:-1g} -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
  echo -n " -Xlog:disable -Xlog:all=warning:stderr"
  [ "${NEO4J_TEST_JIT:-quick}" = full ] || echo -n " -XX:TieredStopAtLevel=1"
  echo
}

running() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

start() {
  if running; then
    echo "neo4j-test-server: already running (pid $(cat "$PID_FILE")); $(grep '^NEO4J_URI=' "$ENV_FILE")" >&2
    return 0
  fi
  build
  mkdir -p "$RUN_DIR"
  rm -f "$ENV_FILE" "$PID_FILE"
  # setsid: the server is not in the shell's process group, so a Ctrl-C there leaves it running.
  setsid "$JAVA" $(jvm_options) -jar "$JAR" >"$LOG_FILE" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  local waited=0
  until grep -q '^READY$' "$LOG_FILE" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      die "the server stopped while starting (log above)"
    fi
    if [ "$waited" -ge $((START_TIMEOUT * 10)) ]; then
      kill "$pid" 2>/dev/null || true
      die "Bolt did not answer within ${START_TIMEOUT}s (see $LOG_FILE)"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  grep '^NEO4J_' "$LOG_FILE" >"$ENV_FILE"
  chmod 600 "$ENV_FILE"
  echo "neo4j-test-server: Neo4j $(sed -n 's/^NEO4J_VERSION=//p' "$ENV_FILE") ready at $(sed -n 's/^NEO4J_URI=//p' "$ENV_FILE") (pid $pid)" >&2
  echo "neo4j-test-server: now run: eval \"\$($0 env)\"" >&2
}

stop() {
  if ! running; then
    rm -f "$PID_FILE" "$ENV_FILE"
    echo "neo4j-test-server: not running" >&2
    return 0
  fi
  local pid
  pid="$(cat "$PID_FILE")"
  kill -TERM "$pid"
  for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "neo4j-test-server: did not stop within 60 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE" "$ENV_FILE"
  echo "neo4j-test-server: stopped" >&2
}

print_env() {
  running && [ -f "$ENV_FILE" ] || die "not running: start it with $0 start"
  local uri user password
  uri="$(sed -n 's/^NEO4J_URI=//p' "$ENV_FILE")"
  user="$(sed -n 's/^NEO4J_USER=//p' "$ENV_FILE")"
  password="$(sed -n 's/^NEO4J_PASSWORD=//p' "$ENV_FILE")"
  echo "export NEO4J_URI=$uri NEO4J_USER=$user NEO4J_PASSWORD=$password"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) print_env ;;
  build) build; echo "$JAR" ;;
  jvm-options) jvm_options ;;
  status)
    if running; then echo "running (pid $(cat "$PID_FILE")): $(grep '^NEO4J_URI=' "$ENV_FILE")"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|env|status|build" >&2; exit 2 ;;
esac
