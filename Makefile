# Thin wrapper around the CMake presets. `make run` and `make test` install what is missing first.
PRESET ?= default
BIN := build/bin

.PHONY: all setup configure build run test clean format

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

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build
