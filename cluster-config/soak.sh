#!/usr/bin/env bash
# A soak of federated training under faults, every node its own process on 127.0.0.1: a
# server, a verifier and N clients train for ROUNDS rounds while a client is killed with
# kill -9 every K rounds or so (and started again under its name 5 s later) and the server
# is killed with kill -9 once, at round S, and restarted with 'qsi server --train --resume' on
# its port, where the clients and the verifier rejoin it on their own. At the end it checks
# that every round is in the server's metrics exactly once, that every round checkpointed
# before the server's kill is there unchanged, and prints one line of results.
set -euo pipefail

usage() {
  cat <<USAGE
usage: $(basename "$0") [-r ROUNDS] [-n CLIENTS] [-k EVERY] [-s ROUND] [-l LIMIT] [-P PORT] [-o DIR] [-q QSI]

  -r ROUNDS  rounds of training (default 100)
  -n CLIENTS clients (default 3; the server needs --min-clients CLIENTS to start, 2 to go on)
  -k EVERY   kill a client (in turn) EVERY rounds after the last one was restarted (default 7)
  -s ROUND   kill the server once after this round (default ROUNDS/2)
  -l LIMIT   the clients train on the first LIMIT MNIST training images (default 1500)
  -P PORT    server port, the cluster's seed (default 4073)
  -o DIR     where the run folder and the logs go (default: a new temporary directory)
  -q QSI     how to run qsi (default: dotnet <repo>/src/Node/bin/Release/net10.0/qsi.dll)
  -i         plain TCP (--insecure) instead of mutual TLS with certificates made for the soak
USAGE
}

here="$(cd "$(dirname "$0")" && pwd)"
rounds=100 clients=3 every=7 server_kill="" limit=1500 port=4073 out="" qsi="dotnet $here/../src/Node/bin/Release/net10.0/qsi.dll"
insecure=0
while getopts "r:n:k:s:l:P:o:q:ih" opt; do
  case $opt in
    r) rounds=$OPTARG ;; n) clients=$OPTARG ;; k) every=$OPTARG ;; s) server_kill=$OPTARG ;;
    l) limit=$OPTARG ;; P) port=$OPTARG ;; o) out=$OPTARG ;; q) qsi=$OPTARG ;; i) insecure=1 ;;
    h) usage; exit 0 ;; *) usage >&2; exit 2 ;;
  esac
done
server_kill=${server_kill:-$((rounds / 2))}
out=${out:-$(mktemp -d -t qsi-soak.XXXXXX)}
mkdir -p "$out"
run="$out/run" seed="akka.tcp://qsi@127.0.0.1:$port"
# A dead node is downed by the split-brain resolver 2 s after it is found unreachable (20 s by default).
printf 'akka.cluster.split-brain-resolver.stable-after = 2s\n' > "$out/node.hocon"
node=(--config "$out/node.hocon")
# door NAME: the flags that put node NAME behind the door, a certificate of the soak's own CA (or --insecure with -i).
certs="$out/certs"
if ((insecure == 0)); then
  $qsi certs init --dir "$certs" 2>> "$out/certs.err"
  $qsi certs issue server server --dir "$certs" --host 127.0.0.1 --days 2 2>> "$out/certs.err"
  $qsi certs issue verifier verifier --dir "$certs" --host 127.0.0.1 --days 2 2>> "$out/certs.err"
  for ((k = 0; k < clients; k++)); do $qsi certs issue client "client-$k" --dir "$certs" --host 127.0.0.1 --days 2 2>> "$out/certs.err"; done
fi
door() { if ((insecure)); then echo --insecure; else echo --cert "$certs/$1.crt" --ca "$certs/ca.crt"; fi; }
train=(--rounds "$rounds" --hidden 16 --batch 16 --epochs 10 --seed 11 --test-limit 200 --round-timeout 60 --wait-timeout 120)

declare -A pids
cleanup() { for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

start_client() {
  $qsi client --train --limit "$limit" --shard "$1/$clients" --partition iid --seed 11 --seed-node "$seed" --json "${node[@]}" $(door "client-$1") \
    >> "$out/client-$1.out" 2>> "$out/client-$1.err" &
  pids[client-$1]=$!
}

# The last round checkpointed, 0 before the first.
checkpointed() {
  ls "$run/checkpoints" 2>/dev/null | sed -n 's/^round-0*\([0-9][0-9]*\)\.zip$/\1/p' | sort -n | tail -1 | grep . || echo 0
}

wait_for_round() {
  while [ "$(checkpointed)" -lt "$1" ]; do
    kill -0 "${pids[server]}" 2>/dev/null || { echo "the server exited before round $1; see $out/server*.err" >&2; exit 1; }
    sleep 0.2
  done
}

clock=$(date +%s)
$qsi server --train --min-clients "$clients" --port "$port" --out "$run" --json "${train[@]}" "${node[@]}" $(door server) > "$out/server.out" 2> "$out/server.err" &
pids[server]=$!
sleep 3
$qsi verifier --seed 11 --seed-node "$seed" "${node[@]}" $(door verifier) > "$out/verifier.out" 2> "$out/verifier.err" &
pids[verifier]=$!
for ((k = 0; k < clients; k++)); do start_client "$k"; done

client_kills=0 client_exits=0 server_kills=0 next=$every victim=0
while [ "$(checkpointed)" -lt "$rounds" ] && kill -0 "${pids[server]}" 2>/dev/null; do
  if [ "$server_kills" -eq 0 ] && [ "$(checkpointed)" -ge "$server_kill" ]; then
    cp "$run/metrics.json" "$out/metrics-before-kill.json"
    kill -9 "${pids[server]}"; wait "${pids[server]}" 2>/dev/null || true
    server_kills=1
    echo "soak: $(date -u +%T) killed the server after round $(checkpointed)" >&2
    $qsi server --train --resume "$run" --port "$port" --json "${node[@]}" $(door server) > "$out/server.out" 2> "$out/server-resumed.err" &
    pids[server]=$!
  elif [ "$(checkpointed)" -ge "$next" ]; then
    if kill -9 "${pids[client-$victim]}" 2>/dev/null; then
      client_kills=$((client_kills + 1))
      echo "soak: $(date -u +%T) killed client-0$victim after round $(checkpointed)" >&2
    else
      # It should not have ended: say how it did, and start it again all the same.
      client_exits=$((client_exits + 1))
      echo "soak: $(date -u +%T) client-0$victim had exited: $(grep 'qsi: error: client' "$out/client-$victim.err" | tail -1)" >&2
    fi
    wait "${pids[client-$victim]}" 2>/dev/null || true
    sleep 5
    start_client "$victim"
    victim=$(((victim + 1) % clients)) next=$(($(checkpointed) + every))
  fi
  sleep 0.2
done
wait "${pids[server]}" && status=0 || status=$?
seconds=$(($(date +%s) - clock))

python3 - "$run/metrics.json" "$out/metrics-before-kill.json" "$rounds" "$status" "$client_kills" "$server_kills" "$seconds" "$client_exits" <<'PY'
import json, sys
final, before, rounds, status, client_kills, server_kills, seconds, client_exits = sys.argv[1:]
history = json.load(open(final))["rounds"]
earlier = json.load(open(before))["rounds"]
numbers = [r["round"] for r in history]
lost = [r["round"] for r in earlier if history[r["round"] - 1] != r]
dropped = sum(c["status"] == "droppedOut" for r in history for c in r["fit"] + r["evaluate"])
updated = sum(r["modelUpdated"] for r in history)
ok = status == "0" and numbers == list(range(1, int(rounds) + 1)) and not lost and client_exits == "0"
print(f"soak: {'ok' if ok else 'FAILED'}: server exit {status}; {len(history)} of {rounds} rounds in metrics.json, each once: {numbers == list(range(1, int(rounds) + 1))}; "
      f"{len(earlier)} rounds checkpointed before the server's kill, changed or lost after it: {len(lost)}; "
      f"{client_kills} client kills, {server_kills} server kill, {client_exits} clients that exited on their own; {dropped} droppedOut outcomes; model updated in {updated} rounds; "
      f"final test accuracy {history[-1]['testAccuracy']:.4f}; {seconds} s")
sys.exit(0 if ok else 1)
PY
