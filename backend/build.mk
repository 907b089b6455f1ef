# Build rules for vsokd and its unit tests; included by the top-level Makefile.
# Three flavours share the sources: release (-O2), asan (AddressSanitizer + UBSan, used by
# make test) and unit (cmocka tests linked against every module except main.c).

BACKEND_SRC   := $(wildcard backend/src/*.c)
BACKEND_LIB   := $(filter-out backend/src/main.c,$(BACKEND_SRC))
BACKEND_LIBS  := -lfcgi -ljansson -lmariadb -ljwt -largon2 -lcrypto -lmagic -lcurl -lqrencode -lxlsxwriter -lm
VERSION       ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)

CC            ?= cc
WARN          := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
                 -Wno-format-nonliteral -I/usr/include/mariadb -Ibackend/src -Ibuild/gen \
                 -DVSOK_VERSION='"$(VERSION)"'
RELEASE_FLAGS := -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
ASAN_FLAGS    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                 -fno-sanitize-recover=undefined

build/release/%.o: backend/src/%.c $(wildcard backend/src/*.h) | build/release
	$(CC) $(WARN) $(RELEASE_FLAGS) -c $< -o $@
build/asan/%.o: backend/src/%.c $(wildcard backend/src/*.h) | build/asan
	$(CC) $(WARN) $(ASAN_FLAGS) -c $< -o $@

build/release/vsokd: $(BACKEND_SRC:backend/src/%.c=build/release/%.o)
	$(CC) $(RELEASE_FLAGS) -o $@ $^ $(BACKEND_LIBS)
build/asan/vsokd: $(BACKEND_SRC:backend/src/%.c=build/asan/%.o)
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(BACKEND_LIBS)

# The common passwords refused as new ones (backend/data/common-passwords.txt, password_rules.c)
# as C string literals sorted for bsearch: lower-cased (the Russian lines are written in lower
# case), without the comment lines, escaped.
build/gen/common_passwords.inc: backend/data/common-passwords.txt | build/gen
	LC_ALL=C grep -v -e '^#!comment' -e '^$$' $< | LC_ALL=C tr 'A-Z' 'a-z' | LC_ALL=C sort -u | \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/.*/"&",/' >$@.tmp
	mv $@.tmp $@
build/release/password_rules.o build/asan/password_rules.o: build/gen/common_passwords.inc

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=build/unit/%)
build/unit/%: tests/unit/%.c $(BACKEND_LIB:backend/src/%.c=build/asan/%.o) | build/unit
	$(CC) $(WARN) $(ASAN_FLAGS) -o $@ $^ $(BACKEND_LIBS) -lcmocka

# The libFuzzer harnesses of the parsers of untrusted bytes (make fuzz): clang only, not part of make test.
FUZZ_CC    := clang
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Ibackend/src
FUZZ_FORMS := $(filter backend/src/instrument%.c backend/src/answers%.c backend/src/scoring%.c \
                backend/src/form_%.c,$(BACKEND_SRC))
FUZZ_SRC_csv        := backend/src/csv.c backend/src/csv_text.c backend/src/csv_write.c \
                       backend/src/arena.c
FUZZ_SRC_request    := backend/src/uri.c backend/src/router.c backend/src/tus_meta.c \
                       backend/src/arena.c
FUZZ_SRC_instrument := $(filter-out backend/src/instrument_store.c backend/src/instruments_api.c \
                       backend/src/instrument_loader.c,$(FUZZ_FORMS)) backend/src/arena.c
FUZZ_LIBS_instrument := -ljansson
FUZZ_SRC_jpeg       := backend/src/jpeg_gps.c
FUZZ_SRC_webp       := backend/src/webp_meta.c
FUZZ_SRC_mp4        := backend/src/mp4_meta.c
FUZZ_LIBS_csv        := -lm
FUZZ_TARGETS := csv request instrument jpeg webp mp4

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard backend/src/*.h) $(BACKEND_SRC) | build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRC_$*) $(FUZZ_LIBS_$*)

build/release build/asan build/unit build/fuzz build/gen:
	mkdir -p $@

.PHONY: backend backend-asan unit-build
backend: build/release/vsokd
backend-asan: build/asan/vsokd
unit-build: $(UNIT_BINS)
