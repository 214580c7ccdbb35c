#!/usr/bin/env bash
# Scans synthesized stacks with checkov (terraform_json, offline), with the tracked skip list in
# .checkov.yaml. Usage: scripts/checkov.sh [outdir=cdktf.out] [stack glob=*]
# Exits non-zero when any check fails outside the skip list.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-cdktf.out}
glob=${2:-*}
CHECKOV=${CHECKOV:-checkov}
args=()
for dir in "$out"/stacks/$glob; do
  [ -f "$dir/cdk.tf.json" ] && args+=(-d "$dir")
done
if [ ${#args[@]} -eq 0 ]; then
  echo "checkov.sh: no synthesized stacks under $out/stacks/$glob" >&2
  exit 1
fi
"$CHECKOV" --config-file .checkov.yaml "${args[@]}" --framework terraform_json --skip-download --compact --quiet
