#!/usr/bin/env bash
# Scans synthesized stacks with checkov (terraform_json, offline), with the tracked skip list in
# .checkov.yaml. Usage: scripts/checkov.sh [outdir=cdktf.out] [stack glob=*]
# Exits non-zero when any check fails outside the skip list.
# CHECKOV_SARIF=<file> writes a SARIF report beside the console one.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-cdktf.out}
glob=${2:-*}
CHECKOV=${CHECKOV:-checkov}

# checkov 3.3.30's terraform_json parser only accepts objects inside the `terraform` block and
# aborts the whole file on the scalar `required_version` (0 checks run, "Parsing errors: 1").
# Scan copies without that one key; nothing checkov evaluates depends on it.
scan=$(mktemp -d)
trap 'rm -rf "$scan"' EXIT
args=()
for dir in "$out"/stacks/$glob; do
  [ -f "$dir/cdk.tf.json" ] || continue
  mkdir -p "$scan/$(basename "$dir")"
  node -e '
    const fs = require("fs");
    const [src, dst] = process.argv.slice(1);
    const json = JSON.parse(fs.readFileSync(src, "utf8"));
    if (json.terraform) delete json.terraform.required_version;
    fs.writeFileSync(dst, JSON.stringify(json, null, 2));
  ' "$dir/cdk.tf.json" "$scan/$(basename "$dir")/cdk.tf.json"
  args+=("$dir")
done
if [ ${#args[@]} -eq 0 ]; then
  echo "checkov.sh: no synthesized stacks under $out/stacks/$glob" >&2
  exit 1
fi
# CHECKOV_SARIF=<file> also writes the results as SARIF (the pull-request workflow uploads it to code
# scanning); the console report stays as it is.
output=()
if [ -n "${CHECKOV_SARIF:-}" ]; then
  output=(-o cli -o sarif --output-file-path "console,$CHECKOV_SARIF")
fi
# One directory argument: with several, checkov 3.3.30 prints a cumulative report per directory.
"$CHECKOV" --config-file .checkov.yaml -d "$scan" --framework terraform_json --skip-download --compact --quiet ${output[@]+"${output[@]}"}
