#!/usr/bin/env bash
# Final test accuracy of a federation with 0, 1 and 3 of 10 clients poisoning, for each
# poisoning adversary and strategy (docs/SECURITY.md, "Uploads: Byzantine clients").
# Plain mode: poisoning is a data and update attack, independent of the optical layer; one
# secure run at the end checks that the verifier flags no poisoner.
#
#   bench/poisoning-table.sh [OUT]      # writes OUT/table.md (default runs/poisoning-table)
#
# LIMIT, TEST_LIMIT, ROUNDS, SEED and ATTACKS may be set in the environment.
set -euo pipefail

cd "$(dirname "$0")/.."
out=${1:-runs/poisoning-table}
limit=${LIMIT:-6000}
test_limit=${TEST_LIMIT:-2000}
rounds=${ROUNDS:-5}
seed=${SEED:-0}
clients=10
strategies=(fedavg fedmedian fedtrimmedavg krum multikrum bulyan)
read -r -a attacks <<< "${ATTACKS:-signflip scale:10 noise:1 labelflip}"

dotnet build src/Node -c Release --nologo -v quiet > /dev/null
qsi=(dotnet src/Node/bin/Release/net10.0/qsi.dll)
mkdir -p "$out"

# f, the Byzantine clients a strategy is told of: the true count, except that bulyan needs
# n >= 4f + 3, so 10 clients allow it f = 1 at most.
byzantine() {
  local strategy=$1 poisoners=$2
  if [[ $strategy == bulyan && $poisoners -gt 1 ]]; then echo 1; else echo "$poisoners"; fi
}

# One run's JSON, run once: OUT/STRATEGY_ATTACK_N.json.
run() {
  local strategy=$1 attack=$2 poisoners=$3 file
  file="$out/${strategy}_${attack/:/=}_${poisoners}.json"
  if [[ ! -s $file ]]; then
    local adversary=()
    [[ $poisoners -gt 0 ]] && adversary=(--adversary "$attack" --adversaries "$poisoners")
    rm -rf "$file.run"
    "${qsi[@]}" simulate --plain --limit "$limit" --test-limit "$test_limit" --rounds "$rounds" --clients "$clients" \
      --partition iid --seed "$seed" --strategy "$strategy" --byzantine "$(byzantine "$strategy" "$poisoners")" \
      "${adversary[@]}" --out "$file.run" --json > "$file.tmp"
    mv "$file.tmp" "$file"
    rm -rf "$file.run"
  fi
  printf '%.2f' "$(jq '.testAccuracy * 100' "$file")"
}

start=$(date -u +%s)
header="| attack | poisoning clients |"
rule="|---|---:|"
for s in "${strategies[@]}"; do header+=" $s |"; rule+="---:|"; done
{
  echo "$header"
  echo "$rule"
  row="| none | 0 of $clients |"
  for s in "${strategies[@]}"; do row+=" $(run "$s" none 0) |"; done
  echo "$row"
  for a in "${attacks[@]}"; do
    for n in 1 3; do
      row="| \`$a\` | $n of $clients |"
      for s in "${strategies[@]}"; do row+=" $(run "$s" "$a" "$n") |"; done
      echo "$row"
    done
  done
} > "$out/table.md"

# The secure spot check: the same federation through the optical channel, 3 sign-flipping clients, krum.
secure="$out/secure_krum_signflip_3.json"
if [[ ! -s $secure ]]; then
  rm -rf "$secure.run"
  "${qsi[@]}" simulate --limit "$limit" --test-limit "$test_limit" --rounds "$rounds" --clients "$clients" --partition iid --seed "$seed" \
    --strategy krum --byzantine 3 --adversary signflip --adversaries 3 --out "$secure.run" --json > "$secure.tmp"
  mv "$secure.tmp" "$secure"
  rm -rf "$secure.run"
fi
jq -r '"\nSecure spot check (optical channel, krum, 3 of 10 `signflip`): test accuracy \(.testAccuracy * 10000 | round / 100) %, flagged clients: \(.flaggedClients | length), excluded updates: \(.excludedUpdates)."' "$secure" >> "$out/table.md"

{
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores ($(uname -m)), .NET $(dotnet --version), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown);"
  echo "--limit $limit --test-limit $test_limit --rounds $rounds --clients $clients --partition iid --seed $seed; $(( $(date -u +%s) - start )) s for the runs not already in $out."
} >> "$out/table.md"
cat "$out/table.md"
