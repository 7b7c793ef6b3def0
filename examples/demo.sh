#!/usr/bin/env bash
# The bundled demo (run by `make demo` with the venv on PATH).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "== the bin5 container: Python facade and C tool"
python -P "$here/demo_bin5.py" "$work"
echo
echo "== the thermal model on the bundled deck examples/mars.inp"
python -P "$here/demo_krc.py" "$work"
