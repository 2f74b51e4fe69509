#!/usr/bin/env bash
# Takes a headless-Chromium screenshot of .nuke/temp/plan.html with the network off, and checks that it shows the
# graph: the page draws it as inline SVG, so an offline screenshot must contain the node boxes. Writes
# .nuke/temp/plan.png (not committed) and prints how much of the picture is drawn.
#
# Usage: bash .ci/plan-screenshot/run.sh [TARGET]     (default MergeManifest; installs chromium-headless-shell when
# missing, which needs root and an apt mirror)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TARGET=${1:-MergeManifest}
say() { printf 'plan-screenshot: %s\n' "$*" >&2; }

CHROME=$(command -v chromium-headless-shell || command -v chromium || true)
if [[ -z $CHROME ]]; then
  say "installing chromium-headless-shell (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium-headless-shell >/dev/null
  CHROME=$(command -v chromium-headless-shell)
fi

(cd "$ROOT" && ./build.sh --plan "$TARGET" >/dev/null)
PAGE=$ROOT/.nuke/temp/plan.html
OUT=$ROOT/.nuke/temp/plan.png
rm -f "$OUT"
# No network for the browser: every proxy request fails, and DNS resolves nothing.
"$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=2000,700 \
  --proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" \
  --screenshot="$OUT" "file://$PAGE" >/dev/null 2>&1
[[ -s $OUT ]] || { say "error: no screenshot written"; exit 1; }

# The share of non-white pixels and the number of green (planned) node pixels: a blank page has neither.
python3 - "$OUT" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, width, height = 8, b'', 0, 0
while pos < len(data):
    length, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + length]; pos += 12 + length
    if kind == b'IHDR': width, height, depth, color = struct.unpack('>IIBB', body[:10]); assert depth == 8 and color in (2, 6), 'unexpected PNG format'; bpp = 3 if color == 2 else 4
    elif kind == b'IDAT': idat += body
raw = zlib.decompress(idat); stride = width * bpp; prev = bytearray(stride); drawn = green = 0; i = 0
for _ in range(height):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        r, g, b_ = line[x], line[x + 1], line[x + 2]
        if (r, g, b_) != (255, 255, 255): drawn += 1
        if (r, g, b_) == (0xd1, 0xf0, 0xd1): green += 1
    prev = line
share = drawn / (width * height)
print(f'plan-screenshot: {width}x{height}, {share:.1%} drawn, {green} planned-node pixels')
sys.exit(0 if green > 1000 and share > 0.02 else 1)
PY
say "ok: $OUT"
