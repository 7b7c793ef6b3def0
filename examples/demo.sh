#!/usr/bin/env bash
# The bundled demo (run by `make demo` with the venv on PATH).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python -P "$here/demo_bin5.py" "$work"
