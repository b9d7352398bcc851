#!/usr/bin/env bash
# S/MIME benchmark (issue 5): our sign/verify/encrypt/decrypt of a 100 KB message beside `openssl smime` for the same
# four operations on the same message and keys, in one JMH run. Builds bench/target/benchmarks.jar, runs it, and
# rewrites the results section of bench/smime/README.md (between the results markers).
# Usage: bench/smime/run.sh [extra JMH options]   (default: -f 1 -wi 3 -w 2s -i 5 -r 3s, about 4 minutes)
# Needs: Java 17, Maven (offline repository), /usr/bin/openssl (Debian openssl).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="bench/target/smime"
mkdir -p "$out"
flock /tmp/mss-maven.lock mvn -q -B -o -pl bench -am install -DskipTests
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
java -jar bench/target/benchmarks.jar 'fr.mssante.operator.bench.smime.SmimeBenchmark' \
  -f 1 -wi 3 -w 2s -i 5 -r 3s -rf csv -rff "$out/results.csv" "$@" | tee "$out/jmh.log"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# CSV columns: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
score() { # $1 = method name -> "score ± error"
  awk -F, -v m="\"fr.mssante.operator.bench.smime.SmimeBenchmark.$1\"" \
    '$1 == m { s = $5; e = $6; if (e == "NaN" || e == "") printf "%.2f", s; else printf "%.2f ± %.2f", s, e }' "$out/results.csv"
}
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
section="$out/section.md"
{
  echo "<!-- results:start (written by bench/smime/run.sh; do not edit by hand) -->"
  echo "Run of $started: JMH 1.37, \`-f 1 -wi 3 -w 2s -i 5 -r 3s${*:+ $*}\`, AverageTime, ms/op (± is JMH's 99.9 % interval)."
  echo
  echo "| 100 KB message, RSA-2048 | ours (smime services, in-process) | \`openssl smime\` (one process per operation) |"
  echo "|---|---|---|"
  for op in Sign Verify Encrypt Decrypt; do
    echo "| ${op,,} | $(score "ours$op") | $(score "openssl$op") |"
  done
  echo "| process start-up alone (\`openssl version\`) | — | $(score opensslVersion) |"
  echo
  echo "Machine: $(nproc) vCPU ($cpu), $(free -g | awk '/^Mem:/ {print $2}') GB RAM, $(java -version 2>&1 | head -1)," \
       "$(openssl version). Load average (1, 5, 15 min) before the run: $load_before; after: $load_after" \
       "(a shared VM: other builds may have been running)."
  echo "<!-- results:end -->"
} > "$section"
readme="bench/smime/README.md"
awk -v section="$section" '
  /<!-- results:start/ { while ((getline line < section) > 0) print line; skip = 1; next }
  /<!-- results:end -->/ { skip = 0; next }
  !skip { print }' "$readme" > "$out/README.md.new"
mv "$out/README.md.new" "$readme"
cat "$section"
