# cipherline build. Plain GNU make: one static library of the modules, one binary,
# one test runner, and variant builds (ASan+UBSan, clang) in their own folders.
#
#   make            build/cipherline and build/libcipherline.a
#   make check      deps, then every test: gcc -Werror, ASan+UBSan, clang -Werror,
#                   and a 5 s smoke run of every fuzz target
#   make bench      benchmarks against libsrtp2 and the raw OpenSSL floor
#   make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 30)
#   make run        deps, build, a local CA + certificate (var/tls), then start the edge
#                   with etc/cipherline.yaml

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2
SAN     ?=
WERROR  ?=
FUZZ_SECONDS ?= 30
CHECK_FUZZ_SECONDS ?= 5

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-unused-parameter
CFLAGS_ALL := -std=c17 -D_GNU_SOURCE -g $(OPT) $(WARN) -Isrc -MMD -MP $(CFLAGS)
ifneq ($(WERROR),)
CFLAGS_ALL += -Werror
endif
ifneq ($(SAN),)
CFLAGS_ALL += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS_SAN := -fsanitize=address,undefined
endif

LIBS      := -lyaml -lssl -lcrypto
TEST_LIBS := $(shell pkg-config --libs libsrtp2 2>/dev/null || echo -lsrtp2) -lyaml -lssl -lcrypto

LIB_SRC   := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
TEST_SRC  := $(sort $(wildcard tests/*.c))
TOOL_SRC  := $(sort $(wildcard tests/tools/*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))
FUZZ_SRC  := $(sort $(wildcard fuzz/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIB       := $(BUILD)/libcipherline.a
BIN       := $(BUILD)/cipherline
TESTBIN   := $(BUILD)/tests/run
NOALLOC   := $(BUILD)/tests/noalloc
TOOLS     := $(patsubst tests/tools/%.c,$(BUILD)/tests/tools/%,$(TOOL_SRC))

.PHONY: all tests check check-gcc check-asan check-clang bench fuzz run deps clean
.DEFAULT_GOAL := all

all: $(BIN) $(LIB)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(call obj,$(LIB_SRC))
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(call obj,$(CLI_SRC)) $(LIB)
	$(CC) $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $(call obj,$(CLI_SRC)) $(LIB) $(LIBS)

# The test runner links libsrtp2 as an oracle; the product never does.
$(TESTBIN): $(call obj,$(TEST_SRC)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $(call obj,$(TEST_SRC)) $(LIB) $(TEST_LIBS)

# The allocation counter interposes malloc, so it is never built with ASan.
$(NOALLOC): $(call obj,tests/noalloc/noalloc.c) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/tools/%: $(BUILD)/obj/tests/tools/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $^ $(TEST_LIBS)

# One benchmark program per bench/*.c; libsrtp2 is a peer there, never in the product.
$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LIBS)

tests: $(BIN) $(TESTBIN) $(TOOLS) $(if $(SAN),,$(if $(wildcard tests/noalloc/noalloc.c),$(NOALLOC)))

deps:
	@sh scripts/deps.sh

check: deps
	$(MAKE) check-gcc check-asan check-clang
	$(MAKE) fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)
	sh tests/run-all.sh build build/asan

check-gcc:
	$(MAKE) BUILD=build WERROR=1 tests
check-asan:
	$(MAKE) BUILD=build/asan SAN=1 OPT=-O1 WERROR=1 tests
# clang must build warning-free too; its objects are not run.
check-clang:
	$(MAKE) BUILD=build/clang CC=clang WERROR=1 all build/clang/tests/run

bench:
	@sh scripts/deps.sh --bench
	$(MAKE) BUILD=build $(patsubst bench/%.c,build/bench/%,$(BENCH_SRC)) $(BIN)
	@set -e; for b in $(patsubst bench/%.c,build/bench/%,$(BENCH_SRC)); do $$b; echo; done
	@set -e; for s in $(sort $(wildcard bench/*.sh)); do sh $$s build; echo; done

# libFuzzer targets, clang only, each run for FUZZ_SECONDS on its seed corpus copy.
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -g -O1 -Isrc -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=undefined
FUZZ_LIB_SRC := $(LIB_SRC)
fuzz: deps
	@mkdir -p build/fuzz
	@set -e; for f in $(FUZZ_SRC); do \
	  n=$$(basename $$f .c); \
	  clang $(FUZZ_CFLAGS) -o build/fuzz/$$n $$f $(FUZZ_LIB_SRC) -lyaml -lssl -lcrypto; \
	  mkdir -p build/fuzz/corpus/$$n; \
	  if [ -d fuzz/corpus/$$n ]; then cp -r fuzz/corpus/$$n/. build/fuzz/corpus/$$n/; fi; \
	  echo "== fuzz $$n for $(FUZZ_SECONDS)s"; \
	  if ! build/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build/fuzz/ \
	      build/fuzz/corpus/$$n > build/fuzz/$$n.log 2>&1; then \
	    tail -n 60 build/fuzz/$$n.log; echo "fuzz $$n: FAILED (reproducer in build/fuzz)"; exit 1; \
	  fi; \
	  grep -E '^(Done|stat::number_of_executed_units)' build/fuzz/$$n.log; \
	done

# A local CA and certificate in var/tls on first run (the paths etc/cipherline.yaml names),
# then the edge as the default configuration file describes it.
RUN_CONFIG ?= etc/cipherline.yaml
run: deps all
	@mkdir -p var/tls
	@test -f var/tls/server-chain.pem || $(BIN) cert init --dir var/tls --name sip.test --ip 127.0.0.1
	$(BIN) run -c $(RUN_CONFIG)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
