#!/usr/bin/env bash
# Starts a local qsi cluster as separate processes on three loopback addresses standing in for
# hosts: the server on 127.0.0.1, the verifier on 127.0.0.2 and N clients on 127.0.0.3, each
# client classifying one shard of the test set. Every node runs mutual TLS behind the door with
# a certificate of a cluster CA the script makes for the run with 'qsi certs' (-k: plain TCP). Prints each client's JSON
# report (one object per line) and a combined summary, then stops server and verifier with
# SIGTERM, so they leave the cluster. With -t ROUNDS the cluster instead runs a federated
# training of a fresh model, each client holding part K of N of the training set, and prints
# the server's summary. A trap stops every process it started on Ctrl-C or error.
set -euo pipefail

usage() {
  cat <<USAGE
usage: $(basename "$0") [-n CLIENTS] [-m MODEL | -t ROUNDS [-o DIR]] [-p PHOTONS] [-g GAIN] [-l LIMIT] [-P PORT] [-k] [-q QSI] [-- CLIENT-FLAGS...]

  -n CLIENTS  clients to start, each with --shard K/CLIENTS (default 2)
  -m MODEL    model file for the server to serve (default: \$QSI_MODEL)
  -t ROUNDS   train instead: 'qsi server --train --rounds ROUNDS' with the clients as 'qsi client --train'
  -o DIR      with -t: the run folder (default: a new folder beside the logs)
  -p PHOTONS  mean photon number per mode, --photons of the server (default 2.32; 4 with -t)
  -g GAIN     amplifier gain of the clients and the verifier (default 2)
  -l LIMIT    classify only the first LIMIT test images (with -t: train on the first LIMIT training images)
  -P PORT     server port, the cluster's seed (default 4053)
  -k          plain TCP: run every node with --insecure instead of a certificate of the run's CA
  -q QSI      how to run qsi (default: dotnet <repo>/src/Node/bin/Release/net10.0/qsi.dll,
              built with 'dotnet build -c Release'; or \$QSI)
  -h          this help

Flags after -- go to every client (e.g. -- --data DIR, -- --queries-per-request 500; with -t,
-- --partition iid). With -t the server gets \$QSI_SERVER_FLAGS too (e.g. "--strategy fedprox --hidden 64").
Logs of every process are kept in a temporary directory, named on exit.
USAGE
}

here="$(cd "$(dirname "$0")" && pwd)"
clients=2 model="${QSI_MODEL:-}" photons="" gain=2 limit="" port=4053 rounds="" run_dir="" insecure=""
qsi="${QSI:-dotnet $here/../src/Node/bin/Release/net10.0/qsi.dll}"
while getopts "n:m:t:o:p:g:l:P:kq:h" flag; do
  case "$flag" in
    n) clients="$OPTARG" ;;
    m) model="$OPTARG" ;;
    t) rounds="$OPTARG" ;;
    o) run_dir="$OPTARG" ;;
    p) photons="$OPTARG" ;;
    g) gain="$OPTARG" ;;
    l) limit="$OPTARG" ;;
    P) port="$OPTARG" ;;
    k) insecure=1 ;;
    q) qsi="$OPTARG" ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[[ "${1:-}" == "--" ]] && shift
client_flags=("$@")

fail() { echo "local-cluster: $*" >&2; exit 2; }
if [[ -n "$rounds" ]]; then
  [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || fail "-t must be a whole number of rounds of at least 1; got '$rounds'"
  photons="${photons:-4}"
else
  [[ -n "$model" ]] || fail "no model: give -m FILE or set QSI_MODEL (train one with 'qsi train --out FILE'), or -t ROUNDS to train"
  [[ -f "$model" ]] || fail "model file $model not found"
  photons="${photons:-2.32}"
fi
[[ "$clients" =~ ^[1-9][0-9]*$ ]] || fail "-n must be a whole number of at least 1; got '$clients'"
read -r -a qsi_cmd <<<"$qsi"

logs="$(mktemp -d -t qsi-local-cluster.XXXXXX)"
server_host=127.0.0.1 verifier_host=127.0.0.2 client_host=127.0.0.3
server_pid="" verifier_pid="" client_pids=()

# The door: a CA for this run and one certificate per node naming its role and host.
# door NAME prints the flags that give node NAME its certificate (or --insecure with -k).
if [[ -n "$insecure" ]]; then
  seed="akka.tcp://qsi@$server_host:$port"
  door() { echo --insecure; }
else
  seed="akka.ssl.tcp://qsi@$server_host:$port"
  certs="$logs/certs"
  "${qsi_cmd[@]}" certs init --dir "$certs" 2>>"$logs/certs.log" || { cat "$logs/certs.log" >&2; fail "could not make the cluster CA"; }
  issue() { "${qsi_cmd[@]}" certs issue "$1" "$2" --dir "$certs" --host "$3" --days 2 2>>"$logs/certs.log" || { cat "$logs/certs.log" >&2; fail "could not issue $2's certificate"; }; }
  issue server server "$server_host"
  issue verifier verifier "$verifier_host"
  for ((k = 0; k < clients; k++)); do issue client "client-$k" "$client_host"; done
  door() { echo --cert "$certs/$1.crt" --ca "$certs/ca.crt"; }
fi

# Stops the given processes that still run: SIGTERM first (a node leaves the cluster), SIGKILL after 20 s.
stop() {
  local pids=() pid
  for pid in "$@"; do
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && pids+=("$pid")
  done
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 200); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
stop_all() { stop "${client_pids[@]}" "$verifier_pid" "$server_pid"; }
trap 'status=$?; trap - EXIT INT TERM; stop_all; echo "local-cluster: logs in $logs" >&2; exit $status' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "$rounds" ]]; then
  run_dir="${run_dir:-$logs/run}"
  read -r -a server_flags <<<"${QSI_SERVER_FLAGS:-}"
  "${qsi_cmd[@]}" server --train --rounds "$rounds" --min-clients "$clients" --photons "$photons" --gain "$gain" --port "$port" \
    --host "$server_host" $(door server) --out "$run_dir" --json "${server_flags[@]}" >"$logs/server.json" 2>"$logs/server.log" &
else
  "${qsi_cmd[@]}" server --model "$model" --photons "$photons" --port "$port" --host "$server_host" $(door server) 2>"$logs/server.log" &
fi
server_pid=$!
# Nodes started before their seed is up retry the join every few seconds; wait for it instead.
for _ in $(seq 600); do
  grep -q "up at" "$logs/server.log" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$logs/server.log" >&2; fail "the server did not start"; }
  sleep 0.1
done
grep -q "up at" "$logs/server.log" || fail "the server was not up after 60 s; see $logs/server.log"
"${qsi_cmd[@]}" verifier --gain "$gain" --host "$verifier_host" $(door verifier) --seed-node "$seed" 2>"$logs/verifier.log" &
verifier_pid=$!

limit_flags=()
[[ -n "$limit" ]] && limit_flags=(--limit "$limit")
for ((k = 0; k < clients; k++)); do
  if [[ -n "$rounds" ]]; then
    # Training clients share the run's seed: it splits the data the same way in every process.
    "${qsi_cmd[@]}" client --train --shard "$k/$clients" --gain "$gain" --host "$client_host" $(door "client-$k") \
      --seed-node "$seed" --json "${limit_flags[@]}" "${client_flags[@]}" >"$logs/client-$k.json" 2>"$logs/client-$k.log" &
  else
    "${qsi_cmd[@]}" client --id "client-$k" --shard "$k/$clients" --gain "$gain" --seed "$k" --host "$client_host" $(door "client-$k") \
      --seed-node "$seed" --json "${limit_flags[@]}" "${client_flags[@]}" >"$logs/client-$k.json" 2>"$logs/client-$k.log" &
  fi
  client_pids+=($!)
done

failed=0
for ((k = 0; k < clients; k++)); do
  if ! wait "${client_pids[$k]}"; then
    failed=1
    echo "local-cluster: client-$k failed:" >&2
    tail -n 5 "$logs/client-$k.log" >&2
  fi
done
client_pids=()

# One JSON object per line, then what the clients saw together.
for ((k = 0; k < clients; k++)); do
  [[ -s "$logs/client-$k.json" ]] && { jq -c . "$logs/client-$k.json" 2>/dev/null || { tr -d '\n' <"$logs/client-$k.json"; echo; }; }
done
if [[ -n "$rounds" ]]; then
  # The server ends the training itself and exits; its summary is the run's.
  if wait "$server_pid"; then
    jq -c . "$logs/server.json" 2>/dev/null || cat "$logs/server.json"
    echo "local-cluster: training finished; run folder $run_dir" >&2
  else
    failed=1
    echo "local-cluster: the server failed:" >&2
    tail -n 5 "$logs/server.log" >&2
  fi
  server_pid=""
elif command -v jq >/dev/null && ((failed == 0)); then
  cat "$logs"/client-*.json | jq -s -r '
    (map(.images) | add) as $n
    | "local-cluster: \(length) clients, \($n) images, secure accuracy \((map(.correct) | add) / $n * 10000 | round / 100) %, "
      + "accept rate \((map(.verifier.accepted) | add) / (map(.verifier.checks) | add) * 10000 | round / 100) %, "
      + "images/s per client: \(map(.imagesPerSecond | round) | join(", "))"' >&2
fi

# The verifier leaves first, then the server it joined through, so neither sees the other vanish.
stop "$verifier_pid"
stop "$server_pid"
server_pid="" verifier_pid=""
exit "$failed"
