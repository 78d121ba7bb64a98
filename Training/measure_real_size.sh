#!/usr/bin/env bash
# Load time, first-caption time and peak RSS of facecap on real-size random checkpoints written by
# Training/make_real_size_random.py (not in CI: ~20 GB of disk, minutes of CPU).
#
#   swift build -c release --product facecap
#   python3 Training/make_real_size_random.py /work/bigtmp/realsize
#   Training/measure_real_size.sh /work/bigtmp/realsize [MAX_NEW_TOKENS] [single|pair|both]
#
# Beam 5 (the authors' default) with at most MAX_NEW_TOKENS new tokens (default 20: random weights
# never say "\n", so the authors' 200 would time 200 steps of noise). Load time = wall time minus the
# encode and decode times facecap reports; peak RSS from GNU time (file-backed pages of the mapped
# weights count once touched).
set -euo pipefail
root=${1:?folder written by make_real_size_random.py}
tokens=${2:-20}
which=${3:-both}
repo=$(cd "$(dirname "$0")/.." && pwd)
facecap="$repo/.build/release/facecap"
face="$repo/Tests/Fixtures/test.png"

run() {
  local label=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$facecap" caption "$@" --max-new-tokens "$tokens" --json "$face" >"$log.out" 2>"$log"
  python3 - "$label" "$log" "$log.out" <<'PY'
import json, re, sys
label, log, out = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read().splitlines()
wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", log)
seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", log).group(1)) / 1024 / 1024
lines = [json.loads(l) for l in out]
work = sum(l["encode_ms"] + l["decode_ms"] for l in lines) / 1000
print(f"{label}: wall {seconds:.1f} s, load {seconds - work:.1f} s, peak RSS {rss:.2f} GiB")
for l in lines:
    print(f"  {l['model']}: encode {l['encode_ms'] / 1000:.1f} s, decode {l['decode_ms'] / 1000:.1f} s "
          f"({len(l['token_ids'])} tokens, beam 5)")
PY
  rm -f "$log" "$log.out"
}

free -g | head -2
[ "$which" = pair ] || run "Exp-BLIP alone (.pth + --language-model)" --model "$root/exp_blip/exp_blip_vitg_opt6.7b_trimmed.pth" --language-model "$root/opt-6.7b"
[ "$which" = single ] || run "AU-BLIP + Exp-BLIP sharing one OPT (folders with facecap.json)" --models "$root/au_blip,$root/exp_blip"
