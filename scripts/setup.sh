#!/usr/bin/env bash
# Installs the Debian packages LLM Foundry needs (docs/architecture.md §3), and only the missing ones: a second run
# returns at once. Uses sudo only when not root. Nothing is downloaded except Debian packages.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config ccache
    libtorch-dev libopenblas0-openmp           # tensors; OpenBLAS: Debian's LibTorch is 16-30x slower on reference BLAS
    qt6-base-dev qt6-tools-dev qt6-l10n-tools qt6-translations-l10n libqcustomplot-dev
    libyaml-cpp-dev libutf8proc-dev nlohmann-json3-dev libcli11-dev zlib1g-dev
    libgloo-dev                                # Gloo headers for c10d ProcessGroupGloo (distributed training)
    libcpp-httplib-dev                         # the HTTP server behind `llmf serve`
    xvfb xauth                                 # offscreen GUI tests and screenshots
    fonts-wqy-microhei                         # a CJK font, so the 简体中文 interface renders
    r-cran-janeaustenr fortunes-zh             # the default English and Chinese corpora, read in place
    iproute2                                   # tst_twohosts: two nodes in two network namespaces (ip netns)
)

"$(dirname "$0")/install-packages.sh" "${packages[@]}"

# libtorch-dev pulls in the netlib reference BLAS; make sure libblas.so.3 points at OpenBLAS (OpenMP build).
openblas=$(ls /usr/lib/*/openblas-openmp/libblas.so.3 2>/dev/null | head -n 1 || true)
if [ -n "$openblas" ]; then
    alt="libblas.so.3-$(basename "$(dirname "$(dirname "$openblas")")")"
    current=$(update-alternatives --query "$alt" 2>/dev/null | sed -n 's/^Value: //p')
    if [ "$current" != "$openblas" ]; then
        echo "Selecting OpenBLAS (OpenMP) for $alt"
        sudo_cmd=()
        [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
        "${sudo_cmd[@]}" update-alternatives --set "$alt" "$openblas"
    fi
fi
