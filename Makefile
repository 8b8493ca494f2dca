# ctok - plain Makefile.  `make` builds the library and the CLI into build/;
# `make test` builds and runs every test; `make asan` / `make ubsan` / `make tsan` run the tests
# under the sanitizers in their own build folders; `make bench` prints the benchmarks.

PREFIX ?= /usr/local
BUILD ?= build
CC ?= cc
OPT ?= -O2
SAN ?=
CFLAGS_BASE = -std=c11 -D_POSIX_C_SOURCE=200809L -g $(OPT) -Wall -Wextra -Werror -fPIC \
              -Iinclude $(SAN)
CFLAGS ?=
ALL_CFLAGS = $(CFLAGS_BASE) $(CFLAGS)
PCRE2_LIBS = -lpcre2-8
LIBS = $(PCRE2_LIBS) -lpthread
LDFLAGS ?=

LIB_SRC = $(wildcard src/*.c)
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/obj/src/%.o)
CLI_SRC = $(wildcard cli/*.c)
CLI_OBJ = $(CLI_SRC:cli/%.c=$(BUILD)/obj/cli/%.o)
REF_SRC = $(wildcard tests/ref/*.c)
REF_OBJ = $(REF_SRC:tests/ref/%.c=$(BUILD)/obj/ref/%.o)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_LIBFUZZER = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/libfuzzer/%)

# Profile-guided optimisation (doc/design.md, "Encoding throughput on one core").  With gcc and
# no sanitizer, the library and the CLI are compiled twice: first instrumented
# (-fprofile-generate, into $(PGO_DIR)), and that build's ctok encodes the training texts; then
# for real, each object with the counts its instrumented twin recorded (-fprofile-use; -dumpbase
# names the twin's .gcda).  Code the training did not run is compiled as without a profile
# (-fprofile-partial-training).  The training runs one thread, so the counts, and the build, are
# the same every time.  `make PGO=0` compiles once.
CC_IS_GCC := $(shell $(CC) -v 2>&1 | grep -q '^gcc version' && echo 1)
PGO ?= $(if $(CC_IS_GCC),$(if $(SAN),0,1),0)
PGO_DIR = $(BUILD)/pgo
PGO_TRAIN = tests/data/corpora/multilingual-sample.txt tests/data/corpora/taylorswift.txt
PGO_LIB_OBJ = $(LIB_SRC:src/%.c=$(PGO_DIR)/obj/src/%.o)
PGO_CLI_OBJ = $(CLI_SRC:cli/%.c=$(PGO_DIR)/obj/cli/%.o)
ifeq ($(PGO),1)
PGO_PROFILE = $(PGO_DIR)/profile.ok
PGO_USE = -fprofile-use -fprofile-partial-training -Wno-missing-profile \
          -dumpbase $(PGO_DIR)/$(basename $(@:$(BUILD)/%=%))
# the blob generator (below) runs on the instrumented objects: the final ones need the profile,
# which needs the blobs
GEN_OBJ_DIR = $(PGO_DIR)/obj
GEN_LINK = -fprofile-generate
else
GEN_OBJ_DIR = $(BUILD)/obj
endif
$(PGO_DIR)/obj/%.o: PGO_FLAGS = -fprofile-generate
$(BUILD)/obj/src/%.o $(BUILD)/obj/cli/%.o: PGO_FLAGS = $(PGO_USE)

# compile $< into $@ (the library's and the CLI's objects, in either build)
COMPILE = @mkdir -p $(dir $@) && echo '  CC    $<$(if $(PGO_FLAGS), ($(word 1,$(PGO_FLAGS))))' && \
          $(CC) $(ALL_CFLAGS) $(PGO_FLAGS)

.PHONY: all lib cli tests test asan ubsan tsan bench bench-train install uninstall clean fuzz demo
.SECONDARY:

all: lib cli

lib: $(BUILD)/libctok.a $(BUILD)/libctok.so
cli: $(BUILD)/ctok

$(BUILD)/obj/src/%.o: src/%.c src/*.h include/ctok.h $(PGO_PROFILE)
	$(COMPILE) -c $< -o $@
$(PGO_DIR)/obj/src/%.o: src/%.c src/*.h include/ctok.h
	$(COMPILE) -c $< -o $@

# bpe_short_sse41.c and bpe_short_avx2.c compile bpe_short.c again (for SSE4.1, for AVX2)
$(BUILD)/obj/src/bpe_short_sse41.o $(PGO_DIR)/obj/src/bpe_short_sse41.o: src/bpe_short.c
$(BUILD)/obj/src/bpe_short_avx2.o $(PGO_DIR)/obj/src/bpe_short_avx2.o: src/bpe_short.c

$(BUILD)/obj/cli/%.o: cli/%.c cli/*.h include/ctok.h $(PGO_PROFILE)
	$(COMPILE) -c $< -o $@
$(PGO_DIR)/obj/cli/%.o: cli/%.c cli/*.h include/ctok.h
	$(COMPILE) -c $< -o $@

# the training run: the instrumented CLI encodes PGO_TRAIN with each encoding (tinyshakespeare,
# one of `make bench`'s inputs, is left out of it)
$(PGO_DIR)/ctok: $(PGO_CLI_OBJ) $(PGO_LIB_OBJ)
	@echo '  LD    $@'
	@$(CC) $(ALL_CFLAGS) -fprofile-generate -o $@ $^ $(LDFLAGS) $(LIBS)

$(PGO_DIR)/profile.ok: $(PGO_DIR)/ctok $(PGO_TRAIN)
	@echo '  PGO   $(PGO_DIR)/ctok encode -j1 on $(notdir $(PGO_TRAIN))'
	@find $(PGO_DIR) -name '*.gcda' -exec rm -f {} +
	@for e in gpt2 cl100k_base o200k_base; do \
	  $(PGO_DIR)/ctok encode -j1 -e $$e $(PGO_TRAIN) > /dev/null || exit 1; done
	@touch $@

$(BUILD)/obj/ref/%.o: tests/ref/%.c tests/ref/*.h include/ctok.h
	@mkdir -p $(dir $@)
	@echo '  CC    $<'
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

# The built-in encodings' rank files are embedded in the library (src/vocab_data.c, .incbin):
# rebuild that object when a file changes, and fail the build if a file's sha256 differs from the
# one data/vocab/encodings.json publishes.
VOCAB_FILES = $(wildcard data/vocab/*.tiktoken)
$(BUILD)/obj/src/vocab_data.o $(PGO_DIR)/obj/src/vocab_data.o: $(VOCAB_FILES) \
  $(BUILD)/vocab-sha256.ok
$(BUILD)/vocab-sha256.ok: $(VOCAB_FILES) data/vocab/encodings.json tools/check-vocab.sh
	@echo '  CHECK data/vocab sha256'
	@sh tools/check-vocab.sh data/vocab
	@mkdir -p $(dir $@) && touch $@

# The built-in vocabulary blobs (src/vocab_blob.h): tools/gen_vocab_blob.c, linked from the
# library's objects without the blobs, loads each rank file's encodings the ordinary way and
# writes their finished tables to $(BUILD)/vocab/NAME.blob; src/vocab_blob_embed.c embeds them
# (.incbin), so loading a built-in encoding uses them in place.
VOCAB_NAMES = $(basename $(notdir $(VOCAB_FILES)))
VOCAB_BLOBS = $(VOCAB_NAMES:%=$(BUILD)/vocab/%.blob)
GEN_BLOB = $(BUILD)/tools/gen_vocab_blob
GEN_BLOB_OBJ = $(filter-out %/vocab_blob_embed.o,$(LIB_SRC:src/%.c=$(GEN_OBJ_DIR)/src/%.o)) \
               $(BUILD)/obj/tools/vocab_blob_none.o $(BUILD)/obj/tools/gen_vocab_blob.o

$(BUILD)/obj/tools/vocab_blob_none.o: src/vocab_blob_embed.c src/*.h include/ctok.h
	@mkdir -p $(dir $@)
	@echo '  CC    $< (without blobs)'
	@$(CC) $(ALL_CFLAGS) -DCTOK_VOCAB_NO_BLOBS -c $< -o $@

$(BUILD)/obj/tools/gen_vocab_blob.o: tools/gen_vocab_blob.c src/*.h include/ctok.h
	@mkdir -p $(dir $@)
	@echo '  CC    $<'
	@$(CC) $(ALL_CFLAGS) -Isrc -c $< -o $@

$(GEN_BLOB): $(GEN_BLOB_OBJ)
	@mkdir -p $(dir $@)
	@echo '  LD    $@'
	@$(CC) $(ALL_CFLAGS) $(GEN_LINK) -o $@ $^ $(LDFLAGS) $(LIBS)

$(BUILD)/vocab/%.blob: $(GEN_BLOB) $(BUILD)/vocab-sha256.ok
	@mkdir -p $(dir $@)
	@echo '  GEN   $@'
	@$(GEN_BLOB) $*.tiktoken $@

$(BUILD)/obj/src/vocab_blob_embed.o: src/vocab_blob_embed.c src/*.h include/ctok.h \
  $(VOCAB_BLOBS) $(PGO_PROFILE)
	$(COMPILE) -DCTOK_BLOB_DIR='"$(BUILD)/vocab"' -c $< -o $@
$(PGO_DIR)/obj/src/vocab_blob_embed.o: src/vocab_blob_embed.c src/*.h include/ctok.h $(VOCAB_BLOBS)
	$(COMPILE) -DCTOK_BLOB_DIR='"$(BUILD)/vocab"' -c $< -o $@

$(BUILD)/libctok.a: $(LIB_OBJ)
	@rm -f $@
	@echo '  AR    $@'
	@ar rcs $@ $^

# -Bsymbolic-functions: the library's calls to its own functions go straight to them, not through
# the PLT as calls to functions another object could replace (the internal ones are exported for
# the tests).  ab_encode, the build before against this one, both orders: the corpus 1.013x,
# tinyshakespeare 1.025-1.055x (cl100k_base, o200k_base).  The static library has no PLT.
$(BUILD)/libctok.so: $(LIB_OBJ)
	@echo '  LD    $@'
	@$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,libctok.so.0 -Wl,-Bsymbolic-functions -o $@ $^ \
	    $(LDFLAGS) $(LIBS)
	@ln -sf libctok.so $(BUILD)/libctok.so.0

$(BUILD)/ctok: $(CLI_OBJ) $(BUILD)/libctok.a
	@echo '  LD    $@'
	@$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libctok.a $(LDFLAGS) $(LIBS)

# The tests and the fuzz replays link the shared library: the built-in blobs (42 MB) are then on
# disk once, not once in every test program (a build fits in a few hundred MB).
TEST_LINK = -L$(BUILD) -lctok -Wl,-rpath,'$$ORIGIN/..'

$(BUILD)/tests/%: tests/unit/%.c tests/unit/*.h $(REF_OBJ) $(BUILD)/libctok.so
	@mkdir -p $(dir $@)
	@echo '  CC    $<'
	@$(CC) $(ALL_CFLAGS) -Isrc -Itests -o $@ $< $(REF_OBJ) $(TEST_LINK) $(LDFLAGS) $(LIBS)

# a unit test of CLI code includes the file it tests
$(BUILD)/tests/test_decimal: cli/decimal.c cli/id_text.c cli/cli.h

# fuzz targets: a plain replay driver for `make test`, libFuzzer builds for `make fuzz`
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libctok.so
	@mkdir -p $(dir $@)
	@echo '  CC    $<'
	@$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< tests/fuzz/replay.c $(TEST_LINK) $(LDFLAGS) $(LIBS)

tests: all $(UNIT_BIN) $(FUZZ_REPLAY)

test: tests
	@BUILD=$(BUILD) sh tests/run.sh

asan:
	$(MAKE) BUILD=build-asan OPT=-O1 SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

ubsan:
	$(MAKE) BUILD=build-ubsan OPT=-O1 SAN="-fsanitize=undefined -fno-sanitize-recover=all" test

tsan:
	$(MAKE) BUILD=build-tsan OPT=-O1 SAN="-fsanitize=thread" test

FUZZ_TIME ?= 60
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang OPT=-O1 SAN="-fsanitize=fuzzer-no-link,address,undefined" lib
	@mkdir -p build-fuzz/libfuzzer
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -std=c11 -g -O1 -Iinclude -Isrc -fsanitize=fuzzer,address,undefined $$f \
	    build-fuzz/libctok.a $(LIBS) -o build-fuzz/libfuzzer/$$n || exit 1; \
	  mkdir -p build-fuzz/corpus/$$n; \
	  build-fuzz/libfuzzer/$$n -max_total_time=$(FUZZ_TIME) build-fuzz/corpus/$$n tests/fuzz/corpus/$$n || exit 1; \
	done

BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

$(BUILD)/bench/%: bench/%.c bench/*.h $(BUILD)/libctok.a
	@mkdir -p $(dir $@)
	@echo '  CC    $<'
	@$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libctok.a $(LDFLAGS) $(LIBS)

bench: all $(BENCH_BIN)
	@sh bench/run.sh $(BUILD)

# issue 5's training benchmark: ctok vs HF tokenizers vs sentencepiece (BIG=1 adds the 1 GB corpus)
bench-train: all
	@BIG=$(BIG) sh bench/bench-train.sh $(BUILD)

demo: all
	@sh tools/demo.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/bin
	install -m 644 include/ctok.h $(DESTDIR)$(PREFIX)/include/ctok.h
	install -m 644 $(BUILD)/libctok.a $(DESTDIR)$(PREFIX)/lib/libctok.a
	install -m 755 $(BUILD)/libctok.so $(DESTDIR)$(PREFIX)/lib/libctok.so.0
	ln -sf libctok.so.0 $(DESTDIR)$(PREFIX)/lib/libctok.so
	install -m 755 $(BUILD)/ctok $(DESTDIR)$(PREFIX)/bin/ctok

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/include/ctok.h $(DESTDIR)$(PREFIX)/lib/libctok.a \
	  $(DESTDIR)$(PREFIX)/lib/libctok.so.0 $(DESTDIR)$(PREFIX)/lib/libctok.so \
	  $(DESTDIR)$(PREFIX)/bin/ctok

clean:
	rm -rf build build-asan build-ubsan build-tsan build-fuzz
