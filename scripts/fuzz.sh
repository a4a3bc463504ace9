#!/usr/bin/env bash
# Builds the libFuzzer targets of the SCIM core (filter, patch_path, json, body, ids)
# into build/fuzz/ and runs each for a bounded time. Exits non-zero when a
# build fails or a target finds a crash, leak, timeout or sanitizer report;
# the reproducer is left in build/fuzz/<name>-crash-* (or -leak-, -timeout-).
#
# Needs clang++ and libFuzzer: Debian packages clang (clang-14) and
# libclang-rt-14-dev.
#
#   FUZZ_SECONDS   run time per target (default 30)
#   FUZZ_MAX_LEN   largest input in bytes (default 4096)
#   CLANGXX        compiler (default clang++; passed to make as FUZZ_CXX)
#   FUZZ_TARGETS   targets to run (default "filter patch_path json body ids")
set -euo pipefail

cd "$(dirname "$0")/.."

readonly SECONDS_EACH="${FUZZ_SECONDS:-30}"
readonly MAX_LEN="${FUZZ_MAX_LEN:-4096}"
readonly TARGETS="${FUZZ_TARGETS:-filter patch_path json body ids}"
readonly OUT=build/fuzz

# The Makefile builds them: the pure core once (build/fuzzobj), then each
# target linked to it, so running the targets one by one recompiles nothing.
bins=()
for name in $TARGETS; do bins+=("$OUT/${name}_fuzz"); done
make --no-print-directory -j"$(nproc 2>/dev/null || echo 2)" FUZZ_CXX="${CLANGXX:-clang++}" "${bins[@]}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
for name in $TARGETS; do
  corpus="$OUT/corpus/$name"
  mkdir -p "$corpus"
  dict=()
  if [[ "$name" == filter || "$name" == patch_path ]]; then dict=(-dict=tests/data/fuzz/filter.dict); fi
  echo "fuzz: running $name for ${SECONDS_EACH}s"
  # New inputs go to the first directory; the seeds in tests/data stay as they are.
  if ! "$OUT/${name}_fuzz" -max_total_time="$SECONDS_EACH" -timeout=5 -max_len="$MAX_LEN" \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$OUT/${name}-" "${dict[@]}" \
    "$corpus" "tests/data/fuzz/$name"; then
    failed+=("$name")
  fi
done

if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all targets ran clean"
