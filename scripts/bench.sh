#!/usr/bin/env bash
# Performance benchmarks: LLM Foundry (build/bin/llmf bench) against the original project's way, plain PyTorch
# (tests/benchmarks/reference), and our BPE trainer against SentencePiece's spm_train.
# Installs the Debian packages only the benchmarks need, and only the missing ones (like scripts/setup.sh;
# sudo only when not root), then runs tests/benchmarks/compare.py with this script's arguments, e.g.
#   scripts/bench.sh --quick
#   scripts/bench.sh --steps 20 --json bench.json
# Build first (scripts/setup.sh, then the build) so that build/bin/llmf exists.
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(
    python3-torch   # the reference model (Debian's PyTorch, on the same libblas.so.3 as our LibTorch)
    python3-yaml    # reads configs/*.yaml (the reference has a small fallback parser)
    sentencepiece   # spm_train, the tokenizer trainer the original project used
)

scripts/install-packages.sh "${packages[@]}"

# Debian's python3-torch lives in /usr/lib/python3/dist-packages, which only Debian's interpreter sees; a
# python3 from pyenv/conda/venv earlier on PATH would not find it. compare.py runs the reference with an
# interpreter that can import torch either way; run compare.py itself with Debian's too.
python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3

# Both sides call whatever libblas.so.3 points to: warn when it is the slow reference BLAS.
blas=$(readlink -f "$(ls /usr/lib/*/libblas.so.3 2>/dev/null | head -n 1)" 2>/dev/null || true)
case "$blas" in
    */blas/libblas.so.3) echo "warning: libblas.so.3 is the netlib reference BLAS ($blas); run scripts/setup.sh" \
                              "to select OpenBLAS, or every number below is 15-30x slower" >&2 ;;
esac

exec "$python" tests/benchmarks/compare.py "$@"
