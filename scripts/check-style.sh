#!/usr/bin/env bash
# Style gate, run by the test command as ctest `style_check`:
#   1. clang-format --dry-run -Werror over every tracked C++ file (.clang-format);
#   2. clang-tidy (.clang-tidy: a small set of bug-finding checks, warnings
#      are errors) over the C++ sources changed by the last commit, using
#      build/compile_commands.json. At most GT_TIDY_MAX_FILES (12) of them,
#      about 10 s each on this machine; the rest are named, not silently
#      skipped. Without git history (a tarball) step 2 says so and passes.
#
#   scripts/check-style.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
build="${1:-$root/build}"
cd "$root"

mapfile -t files < <(git ls-files '*.cc' '*.h' | grep -v '^tests/fixtures/')
echo "check-style: clang-format over ${#files[@]} files"
if ! clang-format --dry-run -Werror "${files[@]}"; then
  echo "check-style: FAIL — run: clang-format -i <the files above>" >&2
  exit 1
fi

if ! git rev-parse -q --verify HEAD~1 >/dev/null 2>&1; then
  echo "check-style: no previous commit to compare with: clang-tidy skipped"
  exit 0
fi
mapfile -t changed < <(git diff --name-only --diff-filter=AMR HEAD~1 HEAD -- '*.cc' \
  | grep -v -E '^(tests/fixtures|common/cmake/layering_probe)/' || true)
# Only files the build compiles (compile_commands.json knows them).
tidy=()
for f in "${changed[@]}"; do
  grep -q "\"file\": \"$root/$f\"" "$build/compile_commands.json" 2>/dev/null && tidy+=("$f")
done
max="${GT_TIDY_MAX_FILES:-12}"
if (( ${#tidy[@]} > max )); then
  echo "check-style: clang-tidy on the first $max of ${#tidy[@]} changed sources; not checked:" \
    "${tidy[@]:$max}"
  tidy=("${tidy[@]:0:$max}")
fi
echo "check-style: clang-tidy over ${#tidy[@]} changed sources"
status=0
for f in "${tidy[@]}"; do
  if ! clang-tidy -p "$build" --quiet "$f" 2>/dev/null; then
    echo "check-style: clang-tidy FAILED on $f" >&2
    status=1
  fi
done
(( status == 0 )) && echo "check-style: PASS"
exit "$status"
