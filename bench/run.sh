#!/usr/bin/env bash
# The whole benchmark run on PostgreSQL (see BENCHMARKS.md and `bench/run.sh --help`).
# Needs PostgreSQL and Redis on 127.0.0.1 (override with BENCH_DATABASE_URL / BENCH_REDIS_URL)
# and uv on PATH (`make uv` installs it into .tools/uv). Drops and recreates the benchmark
# database unless --reuse-data is given.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never
UV="$(command -v uv || echo .tools/uv/bin/uv)"
if [ ! -x "$UV" ]; then
    echo "bench/run.sh: uv not found; put it on PATH or run 'make uv'" >&2
    exit 1
fi
exec "$UV" run --locked python -m bench.run "$@"
