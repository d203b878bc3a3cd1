# Makefile - dossier: build, test, demo, install, sanitizer builds
#
# One non-recursive Makefile.  `make` leaves dossier-index and dossier-search
# at the top of the checkout, objects under $(BUILD).  See README.md.
#
# SPDX-License-Identifier: GPL-2.0-or-later

VERSION := 0.1.0

PKG_CONFIG ?= pkg-config
CC ?= cc
CXX ?= c++
BUILD ?= build
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
CFLAGS ?= -O2 -g
CXXFLAGS ?= -O2 -g
LDFLAGS ?=

# Debian packages the build and the tests need (checked by `make deps`).
DEB_PACKAGES := build-essential pkg-config libxapian-dev xapian-tools \
	libyaml-dev check libjansson-dev libutf8proc-dev libxml2-dev jq strace \
	libhunspell-dev hunspell-uk hunspell-ru libicu-dev libcld2-dev \
	libpoppler-glib-dev libarchive-dev zlib1g-dev libzstd-dev
# xmllint, for the SVG charts' tests (tests/cli/t77-chart.sh).
DEB_PACKAGES += libxml2-utils
# libmicrohttpd, for the web view (dossier-serve, server/).
DEB_PACKAGES += libmicrohttpd-dev

WARN_CFLAGS := -std=c11 -Wall -Wextra -Wwrite-strings -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla
WARN_CXXFLAGS := -std=c++17 -Wall -Wextra
ifeq ($(WERROR),1)
WARN_CFLAGS += -Werror
WARN_CXXFLAGS += -Werror
endif

# SANITIZE=address,undefined (or SANITIZE=1 for both).
ifeq ($(SANITIZE),1)
override SANITIZE := address,undefined
endif
ifneq ($(SANITIZE),)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
endif

# pkg-config is asked only when building, so `make deps` works without it.
pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

XAPIAN_CFLAGS = $(call pc_cflags,xapian-core)
XAPIAN_LIBS = $(call pc_libs,xapian-core)
YAML_CFLAGS = $(call pc_cflags,yaml-0.1)
YAML_LIBS = $(call pc_libs,yaml-0.1)
CHECK_CFLAGS = $(call pc_cflags,check)
CHECK_LIBS = $(call pc_libs,check)
JANSSON_CFLAGS = $(call pc_cflags,jansson)
JANSSON_LIBS = $(call pc_libs,jansson)
UTF8PROC_CFLAGS = $(call pc_cflags,libutf8proc)
UTF8PROC_LIBS = $(call pc_libs,libutf8proc)
XML_CFLAGS = $(call pc_cflags,libxml-2.0)
XML_LIBS = $(call pc_libs,libxml-2.0)
# PDF, DOCX/ODT and compressed files (indexer/extract_pdf.c,
# extract_office.c, zstream.c); linked wherever the indexer's objects are.
POPPLER_CFLAGS = $(call pc_cflags,poppler-glib)
ARCHIVE_CFLAGS = $(call pc_cflags,libarchive)
ZLIB_CFLAGS = $(call pc_cflags,zlib)
ZSTD_CFLAGS = $(call pc_cflags,libzstd)
# The shim packs document data with a trained dictionary (shim/packdata.cc):
# every program that links the shim links libzstd.
ZSTD_LIBS = $(call pc_libs,libzstd)
FORMAT_LIBS = $(call pc_libs,poppler-glib libarchive zlib libzstd)
# Languages (issue 13): Hunspell and CLD2 for the shim (CLD2 ships no .pc
# file: its headers are under /usr/include/cld2), ICU's headers for
# config/translit.c, which loads ICU itself (dlopen) when first used: no
# program links it.
HUNSPELL_CFLAGS = $(call pc_cflags,hunspell)
HUNSPELL_LIBS = $(call pc_libs,hunspell)
CLD2_CFLAGS = -I/usr/include/cld2
CLD2_LIBS = -lcld2
ICU_CFLAGS = $(call pc_cflags,icu-i18n icu-uc)
LANG_LIBS = $(HUNSPELL_LIBS) $(CLD2_LIBS)
# The web view (server/, dossier-serve) only.
MHD_CFLAGS = $(call pc_cflags,libmicrohttpd)
MHD_LIBS = $(call pc_libs,libmicrohttpd)

DEFS := -D_GNU_SOURCE -DDOSSIER_VERSION='"$(VERSION)"'
ALL_CFLAGS = $(WARN_CFLAGS) $(CFLAGS) $(SAN_FLAGS) $(DEFS) -I. -MMD -MP
ALL_CXXFLAGS = $(WARN_CXXFLAGS) $(CXXFLAGS) $(SAN_FLAGS) $(DEFS) -I. -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS) -pthread

ifeq ($(V),1)
Q :=
qecho = @:
else
Q := @
qecho = @printf '  %-7s %s\n'
endif

# ---------------------------------------------------------------- modules
SHIM_SRC := $(wildcard shim/*.cc)
# util/: the base every program, test and harness links.
UTIL_SRC := $(wildcard util/*.c)
CONFIG_SRC := $(wildcard config/*.c)
INDEXER_SRC := $(wildcard indexer/*.c)
SEARCHER_SRC := $(wildcard searcher/*.c)
SERVER_SRC := $(wildcard server/*.c)
TEST_SRC := $(filter-out tests/check_main.c,$(wildcard tests/check_*.c))
# What the suites share (scratch directories); not a suite.
TEST_LIB_SRC := tests/scratch.c
TOOL_SRC := $(wildcard tests/tools/*.c)
# bench/: the evaluator's metrics (linked into the unit tests too) and its
# main().
EVALM_SRC := bench/evalmetrics.c

SHIM_OBJ := $(SHIM_SRC:%.cc=$(BUILD)/%.o)
UTIL_OBJ := $(UTIL_SRC:%.c=$(BUILD)/%.o)
CONFIG_OBJ := $(CONFIG_SRC:%.c=$(BUILD)/%.o)
INDEXER_OBJ := $(INDEXER_SRC:%.c=$(BUILD)/%.o)
SEARCHER_OBJ := $(SEARCHER_SRC:%.c=$(BUILD)/%.o)
SERVER_OBJ := $(SERVER_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_LIB_OBJ := $(TEST_LIB_SRC:%.c=$(BUILD)/%.o)
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/%.o)
EVALM_OBJ := $(EVALM_SRC:%.c=$(BUILD)/%.o)
EVAL_OBJ := $(BUILD)/bench/eval.o
# The evaluator and the eval baseline's indexer stay under $(BUILD).
EVAL := $(BUILD)/dossier-eval
EVAL_BASEINDEX := $(BUILD)/eval-baseindex

# The indexer's and searcher's objects without their main(), for tests.
INDEXER_LIB_OBJ := $(filter-out $(BUILD)/indexer/main.o,$(INDEXER_OBJ))
SEARCHER_LIB_OBJ := $(filter-out $(BUILD)/searcher/main.o \
	$(BUILD)/searcher/savedcmd.o,$(SEARCHER_OBJ))

# The bench's programs (see `make bench`); the ceiling is C++ written
# against Xapian's own API, so it lives under shim/, but in a subfolder
# that SHIM_SRC's wildcard does not reach: it is not part of the shim.
BENCH_GEN_OBJ := $(BUILD)/bench/gen.o
BENCH_QBENCH_OBJ := $(BUILD)/bench/qbench.o
BENCH_CEILING_OBJ := $(BUILD)/shim/ceiling/ceiling.o
BENCH_QLOOP_OBJ := $(BUILD)/shim/ceiling/qloop.o
BENCH_OBJ := $(BENCH_GEN_OBJ) $(BENCH_QBENCH_OBJ) $(BENCH_CEILING_OBJ) \
	$(BENCH_QLOOP_OBJ)
BENCH_PROGRAMS := $(BUILD)/bench/gen $(BUILD)/bench/qbench \
	$(BUILD)/bench/ceiling $(BUILD)/bench/qloop

ALL_OBJ := $(SHIM_OBJ) $(UTIL_OBJ) $(CONFIG_OBJ) $(INDEXER_OBJ) $(SEARCHER_OBJ) \
	$(TEST_OBJ) $(TEST_LIB_OBJ) $(BUILD)/tests/check_main.o $(TOOL_OBJ) \
	$(BENCH_OBJ) $(EVALM_OBJ) $(EVAL_OBJ) $(BUILD)/shim/evalbase/baseindex.o \
	$(BUILD)/shim/langbench/langbench.o $(SERVER_OBJ) $(BUILD)/bench/httpload.o
FUZZ_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/fuzz/fuzz_*.c))
DEPS := $(ALL_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)

LIBS_COMMON = $(XAPIAN_LIBS) $(YAML_LIBS) $(JANSSON_LIBS) $(UTF8PROC_LIBS) \
	$(LANG_LIBS) $(ZSTD_LIBS)

# Where the programs go: the top of the checkout, except in sanitizer
# builds, which keep theirs under their own $(BUILD).
OUT ?= .
PROGRAMS := $(OUT)/dossier-index $(OUT)/dossier-search
PROGRAMS += $(OUT)/dossier-serve

.PHONY: all
all: $(PROGRAMS)

$(OUT)/dossier-index: $(INDEXER_OBJ) $(CONFIG_OBJ) $(UTIL_OBJ) $(SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON) $(XML_LIBS) \
		$(FORMAT_LIBS)

# dossier-search never detects a language: without shim/lang.o it does
# not load CLD2, whose relocations were 0.26 M of the 9.9 M instructions
# of a whole one-word search (callgrind).
SEARCH_SHIM_OBJ = $(filter-out $(BUILD)/shim/lang.o,$(SHIM_OBJ))
$(OUT)/dossier-search: $(SEARCHER_OBJ) $(CONFIG_OBJ) $(UTIL_OBJ) \
		$(SEARCH_SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ \
		$(filter-out $(CLD2_LIBS),$(LIBS_COMMON))

# The web view: the searcher's objects without its main(), and
# libmicrohttpd.
$(OUT)/dossier-serve: $(SERVER_OBJ) $(SEARCHER_LIB_OBJ) $(CONFIG_OBJ) \
		$(UTIL_OBJ) $(SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON) $(MHD_LIBS)

# Per-module flags: Xapian for the shim only, libyaml for the safe YAML
# reader only (util/yamlsafe.c), Check for tests only.
$(SHIM_OBJ): EXTRA_CXXFLAGS = $(XAPIAN_CFLAGS)
$(BUILD)/util/yamlsafe.o: EXTRA_CFLAGS = $(YAML_CFLAGS)
$(CONFIG_OBJ): EXTRA_CFLAGS = $(UTF8PROC_CFLAGS)
$(BUILD)/shim/packdata.o: EXTRA_CXXFLAGS += $(ZSTD_CFLAGS)
$(BUILD)/shim/lang.o $(BUILD)/shim/stem.o: EXTRA_CXXFLAGS += \
	$(HUNSPELL_CFLAGS) $(CLD2_CFLAGS)
$(BUILD)/config/translit.o: EXTRA_CFLAGS += $(ICU_CFLAGS)
$(INDEXER_OBJ): EXTRA_CFLAGS = $(JANSSON_CFLAGS) $(XML_CFLAGS)
$(SEARCHER_OBJ): EXTRA_CFLAGS = $(JANSSON_CFLAGS)
$(SERVER_OBJ): EXTRA_CFLAGS = $(JANSSON_CFLAGS) $(MHD_CFLAGS)
# Each format library for the one object that uses it (after the
# indexer's line above, so += appends to it).
$(BUILD)/indexer/extract_pdf.o: EXTRA_CFLAGS += $(POPPLER_CFLAGS)
$(BUILD)/indexer/extract_office.o: EXTRA_CFLAGS += $(ARCHIVE_CFLAGS)
$(BUILD)/indexer/zstream.o: EXTRA_CFLAGS += $(ZLIB_CFLAGS) $(ZSTD_CFLAGS)
$(TEST_OBJ) $(TEST_LIB_OBJ) $(BUILD)/tests/check_main.o: \
	EXTRA_CFLAGS = $(CHECK_CFLAGS) \
	$(JANSSON_CFLAGS) -I$(BUILD)/tests

$(BUILD)/%.o: %.c
	$(qecho) CC $<
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.cc
	$(qecho) CXX $<
	@mkdir -p $(@D)
	$(Q)$(CXX) $(ALL_CXXFLAGS) $(EXTRA_CXXFLAGS) -c -o $@ $<

# ---------------------------------------------------------------- tests
# Every tests/check_NAME.c exports NAME_suite(); the runner's list is made
# from the file names, so adding a suite needs no edit here.
$(BUILD)/tests/suites.inc: $(TEST_SRC) Makefile
	@mkdir -p $(@D)
	$(Q)for f in $(sort $(TEST_SRC)); do \
		n=$${f#tests/check_}; printf 'SUITE(%s)\n' "$${n%.c}"; \
	done > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/check_main.o: $(BUILD)/tests/suites.inc

$(BUILD)/check_dossier: $(BUILD)/tests/check_main.o $(TEST_OBJ) \
		$(TEST_LIB_OBJ) $(INDEXER_LIB_OBJ) $(SEARCHER_LIB_OBJ) $(CONFIG_OBJ) $(UTIL_OBJ) \
		$(SHIM_OBJ) $(EVALM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON) $(XML_LIBS) \
		$(FORMAT_LIBS) $(CHECK_LIBS)

.PHONY: check test build-tests unit cli
check: test
# Packages are checked first, then everything is built in a sub-make (so
# pkg-config sees what was just installed), then every test runs.
test: deps
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)sh tests/run-all.sh "$(BUILD)" "$(OUT)"

build-tests: all $(BUILD)/check_dossier $(BUILD)/dbtool $(EVAL)

# A test helper that dumps and patches databases through the shim.
$(BUILD)/dbtool: $(BUILD)/tests/tools/dbtool.o $(BUILD)/config/schema.o \
                 $(UTIL_OBJ) $(SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(XAPIAN_LIBS) $(YAML_LIBS) \
		$(LANG_LIBS) $(ZSTD_LIBS)

unit: $(BUILD)/check_dossier
	$(Q)$(BUILD)/check_dossier

cli: all $(BUILD)/dbtool $(EVAL)
	$(Q)DBTOOL=$(abspath $(BUILD)/dbtool) sh tests/cli/run.sh "$(OUT)" \
		"$(BUILD)"

# ---------------------------------------------------------------- reliability
CRASH_TRIALS ?= 24
CRASH_SEED ?= 1
CRASH_FILES ?= 3000

# kill -9 the indexer at seeded random moments (tests/reliability/).
.PHONY: crash-test
crash-test: deps
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)sh tests/reliability/crash-test.sh "$(OUT)" "$(BUILD)/dbtool" \
		$(CRASH_TRIALS) $(CRASH_SEED) $(CRASH_FILES)

STRESS_SEARCHES ?= 50000
STRESS_FILES ?= 600
STRESS_SECONDS ?= 0

# Searches while first builds and --full rebuilds (-j1, -j2) run, through
# first creation and the compaction swap; every failure is kept and shown
# (tests/reliability/search-stress.sh).  make test runs a bounded part.
.PHONY: search-stress
search-stress: all
	$(Q)sh tests/reliability/search-stress.sh "$(OUT)" $(STRESS_SEARCHES) \
		$(STRESS_FILES) $(STRESS_SECONDS)

# The CLI tests with the programs under valgrind memcheck: $(VG_BIN) holds
# wrapper scripts named like the programs.  Each process logs to its own
# file; any definite leak or invalid access fails the run (exit code 99
# makes the test notice, the logs say what it was).  The concurrency tests
# use smaller corpora, the timing bounds are relaxed.
VG_BIN = $(BUILD)/valgrind/bin
VG_LOG = $(BUILD)/valgrind/log
VALGRIND ?= valgrind
VG_FLAGS ?= -q --suppressions=$(abspath tests/valgrind.supp) \
	--leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --error-exitcode=99 \
	--child-silent-after-fork=yes
# The PDF and Office parsers' children (indexer/sandbox.c) are forked from
# a worker thread: valgrind would report as lost all that the other
# threads held, so they are silent and their exit code 99 is not a failure
# (DOSSIER_VALGRIND_EXITCODE); `make asan` checks them, and check_formats
# runs the parsers in process.

.PHONY: valgrind
valgrind: deps
	$(Q)sh tests/deps.sh valgrind
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)rm -rf $(BUILD)/valgrind && mkdir -p $(VG_BIN) $(VG_LOG) && \
		chmod 1777 $(VG_LOG)	# t30 runs the indexer as nobody
	$(Q)for p in dossier-index dossier-search dossier-serve; do \
		printf '#!/bin/sh\nexport DOSSIER_VALGRIND_EXITCODE=99\nexec %s %s --log-file=%s/%s.%%p.log %s "$$@"\n' \
			'$(VALGRIND)' '$(VG_FLAGS)' '$(abspath $(VG_LOG))' $$p \
			'$(abspath $(OUT))/'$$p > $(VG_BIN)/$$p; \
		chmod +x $(VG_BIN)/$$p; \
	done
	$(Q)DBTOOL=$(abspath $(BUILD)/dbtool) T60_FILES=300 T60_MIN_ROUNDS=1 T31_POLLS=20000000 \
		T60_STRESS_FILES=60 T60_STRESS_SECONDS=20 T60_STRESS_MIN=4 \
		T61_FILES=200 T65_FILES=300 \
		T63_LIMIT_MS=60000 sh tests/cli/run.sh $(VG_BIN) $(BUILD) \
		> $(BUILD)/valgrind/cli.log 2>&1; rc=$$?; \
	grep -E '^(ok|not ok)' $(BUILD)/valgrind/cli.log | grep -v '# SKIP' | \
		grep -c '^ok' | \
		sed 's/$$/ CLI checks passed under valgrind/'; \
	grep -B6 -A12 '^not ok' $(BUILD)/valgrind/cli.log | head -n 80; \
	bad=$$(find $(VG_LOG) -type f -size +0 | wc -l); \
	for f in $$(find $(VG_LOG) -type f -size +0 | head -n 5); do \
		echo "== $$f"; head -n 40 "$$f"; done; \
	echo "valgrind: $$(ls $(VG_LOG) | wc -l) processes, $$bad with reports"; \
	[ $$rc -eq 0 ] && [ $$bad -eq 0 ]

# libFuzzer harnesses (tests/fuzz/fuzz_NAME.c), built with clang in their
# own $(FUZZ_BUILD) with ASan and UBSan, each run for FUZZ_SECONDS from its
# seed corpus tests/fuzz/corpus/NAME/ (new inputs go to a scratch corpus
# under the build).  A crash leaves its input in $(FUZZ_BUILD)/crashes/.
FUZZERS := markdown text html json date author config search social
FUZZ_SECONDS ?= 10
FUZZ_BUILD ?= build/fuzz
FUZZ_CC ?= clang
FUZZ_CXX ?= clang++
FUZZ_BINS = $(FUZZERS:%=$(BUILD)/fuzz_%)
FUZZ_LIB_OBJ = $(INDEXER_LIB_OBJ) $(CONFIG_OBJ) $(UTIL_OBJ) $(SHIM_OBJ)

.PHONY: fuzz fuzz-build fuzz-run
fuzz: deps
	$(Q)sh tests/deps.sh clang libclang-rt-14-dev
	$(Q)$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) OUT=$(FUZZ_BUILD) \
		CC=$(FUZZ_CC) CXX=$(FUZZ_CXX) \
		SANITIZE=fuzzer-no-link,address,undefined fuzz-run

fuzz-build: $(FUZZ_BINS)
.SECONDARY: $(FUZZ_OBJ)

$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS_COMMON) \
		$(XML_LIBS) $(FORMAT_LIBS)

fuzz-run: fuzz-build
	$(Q)mkdir -p $(BUILD)/crashes; fail=0; \
	for n in $(FUZZERS); do \
		mkdir -p $(BUILD)/corpus/$$n; \
		printf '  FUZZ    %-9s %ss: ' $$n $(FUZZ_SECONDS); \
		if $(BUILD)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) \
			-timeout=10 -rss_limit_mb=2048 -max_len=65536 \
			-artifact_prefix=$(BUILD)/crashes/$$n- \
			$(BUILD)/corpus/$$n tests/fuzz/corpus/$$n \
			> $(BUILD)/fuzz_$$n.log 2>&1; then \
			grep -E '^#[0-9]+.*DONE' $(BUILD)/fuzz_$$n.log | \
				sed -E 's/.*(cov: [0-9]+).*(exec\/s: [0-9]+).*/\1 \2/' \
				| tr -d '\n'; echo " ok"; \
		else \
			echo FAILED; fail=1; \
			grep -A30 -E '^==[0-9]+==|runtime error' \
				$(BUILD)/fuzz_$$n.log | head -n 40; \
		fi; \
	done; \
	[ $$fail -eq 0 ] || { echo "fuzz: inputs in $(BUILD)/crashes/"; exit 1; }

# A sanitizer report exits 86, a code no program of ours uses, so that a
# leak or a use-after-free is never taken for exit 1 ("no hits", "files
# skipped"); the tests also want an empty stderr wherever they accept 1.
ASAN_EXITCODE := 86
.PHONY: asan
asan:
	ASAN_OPTIONS=exitcode=$(ASAN_EXITCODE) \
	UBSAN_OPTIONS=halt_on_error=1:exitcode=$(ASAN_EXITCODE) \
	$(MAKE) BUILD=build/asan OUT=build/asan SANITIZE=address,undefined \
		CK_TIMEOUT_MULTIPLIER=4 test

# `make mutation-test`: realistic bugs (tests/mutation/mutations.txt) put
# into a scratch copy of the tree one at a time; each must fail one of the
# tests it names.  On demand (about 4 minutes), not part of test or CI.
.PHONY: mutation-test
mutation-test: deps
	$(Q)sh tests/mutation/run.sh

# ---------------------------------------------------------------- browser
# `make browser-test`: dossier-serve driven by headless Chromium (Debian's
# chromium): load, search, click a facet, open a hit; screenshots in
# $(BUILD)/browser/ (tests/browser/run.sh).
.PHONY: browser-test
browser-test: all
	$(Q)sh tests/deps.sh chromium
	$(Q)sh tests/browser/run.sh "$(OUT)" "$(BUILD)/browser"

# ---------------------------------------------------------------- demo
DEMO_DB ?= $(BUILD)/demo.db
# The corpus's folders, not corpus/ itself: its README is not an article.
CORPUS_DIRS := $(sort $(wildcard corpus/*/))

.PHONY: demo
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)rm -rf $(DEMO_DB)
	./dossier-index -d $(DEMO_DB) --no-progress $(CORPUS_DIRS)
	./dossier-search -d $(DEMO_DB) '"security guarantees"'

# ---------------------------------------------------------------- bench
# `make bench N=20000` generates a corpus under $(BUILD)/bench/ (never
# committed), indexes it with the ceiling and with dossier-index -j1 and
# -j2, times a no-change reindex, queries, and prints one Markdown table,
# also appended to bench/RESULTS.md.  CORPUS=DIR indexes DIR instead;
# QUERIES=FILE times the queries of FILE (QUERY<TAB>AUTHOR<TAB>SINCE<TAB>
# UNTIL lines, empty fields for no filter) instead of the generated mix.
N ?= 20000
SEED ?= 1
CORPUS ?=
QUERIES ?=
BENCH_PACKAGES := $(DEB_PACKAGES) time

$(BENCH_QBENCH_OBJ): EXTRA_CFLAGS = $(JANSSON_CFLAGS)
$(BENCH_CEILING_OBJ): EXTRA_CXXFLAGS = $(XAPIAN_CFLAGS)

$(BUILD)/bench/gen: $(BENCH_GEN_OBJ)
	$(qecho) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -lm

$(BUILD)/bench/qbench: $(BENCH_QBENCH_OBJ) $(SEARCHER_LIB_OBJ) \
		$(CONFIG_OBJ) $(UTIL_OBJ) $(SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON)

$(BUILD)/bench/ceiling: $(BENCH_CEILING_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(XAPIAN_LIBS)

$(BUILD)/bench/qloop: $(BENCH_QLOOP_OBJ) $(BUILD)/config/author.o $(UTIL_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON)

# The web view's load generator: /api/search over loopback, or the same
# work in process, searched by each client or handed to worker threads
# (bench/httpload.c); `make bench-serve` runs them all.
$(BUILD)/bench/httpload.o: EXTRA_CFLAGS = $(JANSSON_CFLAGS)
$(BUILD)/bench/httpload: $(BUILD)/bench/httpload.o $(SEARCHER_LIB_OBJ) \
		$(CONFIG_OBJ) $(UTIL_OBJ) $(SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON)

# `make bench-serve [SERVE_N=2000]`: p50/p99, mean, throughput and CPU
# per query of /api/search against the same queries in process, with 1
# and 16 concurrent clients (bar: 1.5x), and dossier-serve's RSS
# (bench/serve.sh).
SERVE_N ?= 2000
.PHONY: bench-serve
bench-serve:
	$(Q)sh tests/deps.sh $(DEB_PACKAGES)
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/bench/gen \
		$(BUILD)/bench/httpload
	$(Q)sh bench/serve.sh "$(BUILD)" "$(SERVE_N)" "$(SEED)"

.PHONY: bench bench-quick bench-peers bench-tools
bench-tools: all $(BENCH_PROGRAMS)

bench:
	$(Q)sh tests/deps.sh $(BENCH_PACKAGES)
	$(Q)$(MAKE) --no-print-directory bench-tools
	$(Q)sh bench/run.sh "$(BUILD)" "$(N)" "$(SEED)" "$(CORPUS)" \
		"$(QUERIES)"

bench-quick:
	$(Q)$(MAKE) --no-print-directory bench N=2000

# `make bench-peers` builds the same generated corpus's index with
# dossier-index, omindex, recollindex and SQLite FTS5, and times one query
# process of each (bench/peers.sh); one table, also appended to
# bench/RESULTS.md.  Its size is PEERS_N, or N when N is given on the
# command line.  recollcmd is the command-line half of Debian's recoll
# (recollindex, recollq) without the Qt GUI.
PEERS_N ?= 2000
PEERS_PACKAGES := $(DEB_PACKAGES) time xapian-omega recollcmd sqlite3
bench-peers:
	$(Q)sh tests/deps.sh $(PEERS_PACKAGES)
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/bench/gen
	$(Q)sh bench/peers.sh "$(BUILD)" \
		"$(if $(filter command line,$(origin N)),$(N),$(PEERS_N))" "$(SEED)"

# ---------------------------------------------------------------- bench-pdf
# `make bench-pdf [PDF_PAGES=200] [PDF_FILES=5]`: pages/s of the PDF
# extractor, in process and sandboxed, and of dossier-index end to end,
# beside pdftotext (poppler-utils) on the same generated reports
# (bench/pdf.sh).  mkformats also regenerates the format
# fixtures (tests/fixtures/formats/make-fixtures.sh builds its own copy).
PDF_PAGES ?= 200
PDF_FILES ?= 5
MKFORMATS_OBJ := $(BUILD)/tests/tools/mkformats.o
$(MKFORMATS_OBJ): EXTRA_CFLAGS = $(ARCHIVE_CFLAGS) $(ZLIB_CFLAGS) \
	$(ZSTD_CFLAGS)

$(BUILD)/mkformats: $(MKFORMATS_OBJ)
	$(qecho) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ \
		$(call pc_libs,libarchive zlib libzstd)

$(BUILD)/bench/pdfspeed: $(BUILD)/bench/pdfspeed.o $(INDEXER_LIB_OBJ) \
		$(CONFIG_OBJ) $(UTIL_OBJ) $(SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON) $(XML_LIBS) \
		$(FORMAT_LIBS)

.PHONY: bench-pdf
bench-pdf:
	$(Q)sh tests/deps.sh $(DEB_PACKAGES) poppler-utils
	$(Q)$(MAKE) --no-print-directory $(BUILD)/mkformats \
		$(BUILD)/bench/pdfspeed
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh bench/pdf.sh "$(BUILD)" "$(PDF_PAGES)" "$(PDF_FILES)" "$(OUT)"
# `make lang-bench`: speeds of the language stemmers (words/s, the term
# generator's rate on Ukrainian beside English, one thread and two) and
# the skeleton collisions over hunspell-uk's words.  LANG_UK and LANG_EN are
# text files, one document a line; LANG_WORDS an English word list.
LANGBENCH := $(BUILD)/langbench
LANG_UK ?= $(BUILD)/lang/uk.txt
LANG_EN ?= $(BUILD)/lang/en.txt
LANG_WORDS ?= $(BUILD)/lang/en-words.txt
$(BUILD)/shim/langbench/langbench.o: EXTRA_CXXFLAGS = $(XAPIAN_CFLAGS)
$(LANGBENCH): $(BUILD)/shim/langbench/langbench.o $(SHIM_OBJ) \
		$(BUILD)/config/translit.o
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(XAPIAN_LIBS) $(LANG_LIBS) $(ZSTD_LIBS)

.PHONY: lang-bench
lang-bench: $(LANGBENCH)
	$(Q)sh bench/lang.sh "$(BUILD)" "$(LANG_UK)" "$(LANG_EN)" "$(LANG_WORDS)"

# ---------------------------------------------------------------- eval
# `make eval [COLLECTION=DIR]`: ranking quality on a test collection in
# the Cranfield layout, beside quest and SQLite FTS5 (see bench/EVAL.md).
# The default collection is ../shared/corpora/cranfield when it exists;
# without a collection, bench/eval.sh says so and exits 2.
CRANFIELD := ../shared/corpora/cranfield
COLLECTION ?= $(if $(wildcard $(CRANFIELD)/cran.all.1400),$(CRANFIELD))
# What make eval needs beyond the build: the peers it compares with.
EVAL_DEB_PACKAGES := $(DEB_PACKAGES) sqlite3

$(EVAL): $(EVAL_OBJ) $(EVALM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -lm

# The baseline's minimal indexer includes Xapian's header, so it lives under
# shim/ (shim/evalbase/), but it is a program of its own, never part of
# the shim library (SHIM_SRC is shim/*.cc only).
$(BUILD)/shim/evalbase/baseindex.o: EXTRA_CXXFLAGS = $(XAPIAN_CFLAGS)
$(EVAL_BASEINDEX): $(BUILD)/shim/evalbase/baseindex.o
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(XAPIAN_LIBS)

.PHONY: eval
eval:
	$(Q)sh tests/deps.sh $(EVAL_DEB_PACKAGES)
	$(Q)$(MAKE) --no-print-directory all $(EVAL) $(EVAL_BASEINDEX)
	$(Q)sh bench/eval.sh "$(COLLECTION)" "$(BUILD)" "$(OUT)"

# ---------------------------------------------------------------- deps
.PHONY: deps
deps:
	$(Q)sh tests/deps.sh $(DEB_PACKAGES)

# ---------------------------------------------------------------- install
# The programs, the four man pages (man/check.sh renders each with
# warnings as errors) and the guides in docs/.
MAN1 := man/dossier-index.1 man/dossier-search.1
MAN1 += man/dossier-serve.1
MAN5 := man/dossier.yaml.5
MAN7 := man/dossier-query.7
DOCDIR ?= $(PREFIX)/share/doc/dossier
DOCS := $(wildcard docs/*.md)

.PHONY: install uninstall
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(DOCDIR)
	install -m 755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7/
	install -m 644 $(DOCS) $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dossier-index $(DESTDIR)$(BINDIR)/dossier-search
	rm -f $(DESTDIR)$(BINDIR)/dossier-serve
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(MAN7)))
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS)))
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

# ---------------------------------------------------------------- misc
.PHONY: clean
clean:
	rm -rf $(BUILD) $(PROGRAMS)

-include $(DEPS)
