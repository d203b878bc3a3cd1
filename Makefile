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
	libyaml-dev check libjansson-dev libutf8proc-dev libxml2-dev jq

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
CONFIG_SRC := $(wildcard config/*.c)
INDEXER_SRC := $(wildcard indexer/*.c)
SEARCHER_SRC := $(wildcard searcher/*.c)
TEST_SRC := $(filter-out tests/check_main.c,$(wildcard tests/check_*.c))
# bench/: the evaluator's metrics (linked into the unit tests too) and its
# main().
EVALM_SRC := bench/evalmetrics.c

SHIM_OBJ := $(SHIM_SRC:%.cc=$(BUILD)/%.o)
CONFIG_OBJ := $(CONFIG_SRC:%.c=$(BUILD)/%.o)
INDEXER_OBJ := $(INDEXER_SRC:%.c=$(BUILD)/%.o)
SEARCHER_OBJ := $(SEARCHER_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
EVALM_OBJ := $(EVALM_SRC:%.c=$(BUILD)/%.o)
EVAL_OBJ := $(BUILD)/bench/eval.o
# The evaluator and the eval baseline's indexer stay under $(BUILD).
EVAL := $(BUILD)/dossier-eval
EVAL_BASEINDEX := $(BUILD)/eval-baseindex

# The indexer's and searcher's objects without their main(), for tests.
INDEXER_LIB_OBJ := $(filter-out $(BUILD)/indexer/main.o,$(INDEXER_OBJ))
SEARCHER_LIB_OBJ := $(filter-out $(BUILD)/searcher/main.o,$(SEARCHER_OBJ))

# The bench's programs (see `make bench`); the ceiling is C++ written
# against Xapian's own API, so it lives under shim/, but in a subfolder
# that SHIM_SRC's wildcard does not reach: it is not part of the shim.
BENCH_GEN_OBJ := $(BUILD)/bench/gen.o
BENCH_QBENCH_OBJ := $(BUILD)/bench/qbench.o
BENCH_CEILING_OBJ := $(BUILD)/shim/ceiling/ceiling.o
BENCH_OBJ := $(BENCH_GEN_OBJ) $(BENCH_QBENCH_OBJ) $(BENCH_CEILING_OBJ)
BENCH_PROGRAMS := $(BUILD)/bench/gen $(BUILD)/bench/qbench \
	$(BUILD)/bench/ceiling

ALL_OBJ := $(SHIM_OBJ) $(CONFIG_OBJ) $(INDEXER_OBJ) $(SEARCHER_OBJ) \
	$(TEST_OBJ) $(BUILD)/tests/check_main.o $(BENCH_OBJ) $(EVALM_OBJ) \
	$(EVAL_OBJ) $(BUILD)/shim/evalbase/baseindex.o
DEPS := $(ALL_OBJ:.o=.d)

LIBS_COMMON = $(XAPIAN_LIBS) $(YAML_LIBS) $(JANSSON_LIBS) $(UTF8PROC_LIBS)

# Where the programs go: the top of the checkout, except in sanitizer
# builds, which keep theirs under their own $(BUILD).
OUT ?= .
PROGRAMS := $(OUT)/dossier-index $(OUT)/dossier-search

.PHONY: all
all: $(PROGRAMS)

$(OUT)/dossier-index: $(INDEXER_OBJ) $(CONFIG_OBJ) $(SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON) $(XML_LIBS)

$(OUT)/dossier-search: $(SEARCHER_OBJ) $(CONFIG_OBJ) $(SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON)

# Per-module flags: Xapian for the shim only, libyaml for config and the
# indexer's front-matter reader, Check for tests only.
$(SHIM_OBJ): EXTRA_CXXFLAGS = $(XAPIAN_CFLAGS)
$(CONFIG_OBJ): EXTRA_CFLAGS = $(YAML_CFLAGS) $(UTF8PROC_CFLAGS)
$(INDEXER_OBJ): EXTRA_CFLAGS = $(YAML_CFLAGS) $(JANSSON_CFLAGS) $(XML_CFLAGS)
$(SEARCHER_OBJ): EXTRA_CFLAGS = $(JANSSON_CFLAGS)
$(TEST_OBJ) $(BUILD)/tests/check_main.o: EXTRA_CFLAGS = $(CHECK_CFLAGS) \
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
		$(INDEXER_LIB_OBJ) $(SEARCHER_LIB_OBJ) $(CONFIG_OBJ) $(SHIM_OBJ) \
		$(EVALM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON) $(XML_LIBS) \
		$(CHECK_LIBS)

.PHONY: check test build-tests unit cli
check: test
# Packages are checked first, then everything is built in a sub-make (so
# pkg-config sees what was just installed), then every test runs.
test: deps
	$(Q)$(MAKE) --no-print-directory build-tests
	$(Q)sh tests/run-all.sh "$(BUILD)" "$(OUT)"

build-tests: all $(BUILD)/check_dossier $(EVAL)

unit: $(BUILD)/check_dossier
	$(Q)$(BUILD)/check_dossier

cli: all $(EVAL)
	$(Q)sh tests/cli/run.sh "$(OUT)" "$(BUILD)"

.PHONY: asan
asan:
	$(MAKE) BUILD=build/asan OUT=build/asan SANITIZE=address,undefined \
		CK_TIMEOUT_MULTIPLIER=4 test

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
# also appended to bench/RESULTS.md.  CORPUS=DIR indexes DIR instead.
N ?= 20000
SEED ?= 1
CORPUS ?=
BENCH_PACKAGES := $(DEB_PACKAGES) time

$(BENCH_QBENCH_OBJ): EXTRA_CFLAGS = $(JANSSON_CFLAGS)
$(BENCH_CEILING_OBJ): EXTRA_CXXFLAGS = $(XAPIAN_CFLAGS)

$(BUILD)/bench/gen: $(BENCH_GEN_OBJ)
	$(qecho) LINK $@
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ -lm

$(BUILD)/bench/qbench: $(BENCH_QBENCH_OBJ) $(SEARCHER_LIB_OBJ) \
		$(CONFIG_OBJ) $(SHIM_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(LIBS_COMMON)

$(BUILD)/bench/ceiling: $(BENCH_CEILING_OBJ)
	$(qecho) LINK $@
	$(Q)$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(XAPIAN_LIBS)

.PHONY: bench bench-quick bench-tools
bench-tools: all $(BENCH_PROGRAMS)

bench:
	$(Q)sh tests/deps.sh $(BENCH_PACKAGES)
	$(Q)$(MAKE) --no-print-directory bench-tools
	$(Q)sh bench/run.sh "$(BUILD)" "$(N)" "$(SEED)" "$(CORPUS)"

bench-quick:
	$(Q)$(MAKE) --no-print-directory bench N=2000

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

# The baseline's minimal indexer includes xapian.h, so it lives under
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
MANPAGES := man/dossier-index.1 man/dossier-search.1

.PHONY: install uninstall
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dossier-index $(DESTDIR)$(BINDIR)/dossier-search
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MANPAGES)))

# ---------------------------------------------------------------- misc
.PHONY: clean
clean:
	rm -rf $(BUILD) $(PROGRAMS)

-include $(DEPS)
