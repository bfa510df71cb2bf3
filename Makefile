# Thin wrapper around the CMake presets. `make run` and `make test` install what is missing first.
PRESET ?= default
BIN := build/bin

.PHONY: all setup configure build run test bench clean format

all: build

setup:
	@scripts/setup.sh

configure: setup
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

run: build
	$(BIN)/llm-foundry

test: build
	@ctest --preset $(PRESET)

# Our engine against the PyTorch reference and spm_train, side by side in one run (installs python3-torch,
# python3-yaml and sentencepiece if missing). Not part of `make test`. Pass options with BENCH_ARGS="--quick".
bench: build
	@scripts/bench.sh $(BENCH_ARGS)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build
