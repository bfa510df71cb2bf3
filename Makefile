# Thin wrapper around the CMake presets. `make run` and `make test` install what is missing first.
PRESET ?= default
BIN := build/bin

.PHONY: all setup configure build run test test-asan fuzz bench clean format

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

# The tests again under AddressSanitizer + UndefinedBehaviorSanitizer (clang, build/asan; docs/reliability.md).
test-asan: setup
	@scripts/install-packages.sh clang libclang-rt-14-dev
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan
	@ctest --preset asan

# Every fuzz target, instrumented (clang, libFuzzer, ASan + UBSan, build/fuzz): FUZZ_RUNS inputs each (default
# 1,000,000) or FUZZ_SECONDS each (default 900), whichever comes first. Not part of `make test`, which replays the
# checked-in corpora (ctest -L fuzz).
FUZZ_SECONDS ?= 900
fuzz:
	@scripts/fuzz.sh $(FUZZ_SECONDS)

# Our engine against the PyTorch reference and spm_train, side by side in one run (installs python3-torch,
# python3-yaml and sentencepiece if missing). Not part of `make test`. Pass options with BENCH_ARGS="--quick".
bench: build
	@scripts/bench.sh $(BENCH_ARGS)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build
