# Build rules for vsokd and its unit tests; included by the top-level Makefile.
# Three flavours share the sources: release (-O2), asan (AddressSanitizer + UBSan, used by
# make test) and unit (cmocka tests linked against every module except main.c).

# The sources, one list per subsystem folder, bottom layer first (backend/src/README.md has
# the map; tests/layers.sh checks that no include runs back up this order).
BACKEND_DIRS  := core db http auth org exchange forms evidence dashboards campaigns survey \
                 experts notify plans analysis server
$(foreach d,$(BACKEND_DIRS),$(eval SRC_$(d) := $$(wildcard backend/src/$(d)/*.c)))
BACKEND_SRC   := $(foreach d,$(BACKEND_DIRS),$(SRC_$(d)))
BACKEND_LIB   := $(filter-out backend/src/server/main.c,$(BACKEND_SRC))
BACKEND_LIBS  := -lfcgi -ljansson -lmariadb -ljwt -largon2 -lcrypto -lmagic -lcurl -lqrencode -lxlsxwriter -lm
VERSION       ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)

CC            ?= cc
# Includes name their folder ("forms/instrument.h"), relative to backend/src. -MMD -MP
# write each object's real header dependencies next to it (build/*/FOLDER/NAME.d).
WARN          := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 \
                 -Wno-format-nonliteral -I/usr/include/mariadb -Ibackend/src -Ibuild/gen \
                 -DVSOK_VERSION='"$(VERSION)"'
DEPFLAGS      := -MMD -MP
RELEASE_FLAGS := -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
ASAN_FLAGS    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                 -fno-sanitize-recover=undefined

build/release/%.o: backend/src/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(DEPFLAGS) $(RELEASE_FLAGS) -c $< -o $@
build/asan/%.o: backend/src/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(DEPFLAGS) $(ASAN_FLAGS) -c $< -o $@

RELEASE_OBJ   := $(BACKEND_SRC:backend/src/%.c=build/release/%.o)
ASAN_OBJ      := $(BACKEND_SRC:backend/src/%.c=build/asan/%.o)
-include $(RELEASE_OBJ:.o=.d) $(ASAN_OBJ:.o=.d)

build/release/vsokd: $(RELEASE_OBJ)
	$(CC) $(RELEASE_FLAGS) -o $@ $^ $(BACKEND_LIBS)
build/asan/vsokd: $(ASAN_OBJ)
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(BACKEND_LIBS)

# The common passwords refused as new ones (backend/data/common-passwords.txt, password_rules.c)
# as C string literals sorted for bsearch: lower-cased (the Russian lines are written in lower
# case), without the comment lines, escaped.
build/gen/common_passwords.inc: backend/data/common-passwords.txt | build/gen
	LC_ALL=C grep -v -e '^#!comment' -e '^$$' $< | LC_ALL=C tr 'A-Z' 'a-z' | LC_ALL=C sort -u | \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/.*/"&",/' >$@.tmp
	mv $@.tmp $@
build/release/auth/password_rules.o build/asan/auth/password_rules.o: build/gen/common_passwords.inc

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRC:tests/unit/%.c=build/unit/%)
build/unit/%: tests/unit/%.c $(BACKEND_LIB:backend/src/%.c=build/asan/%.o) | build/unit
	$(CC) $(WARN) $(DEPFLAGS) $(ASAN_FLAGS) -o $@ $(filter %.c %.o,$^) $(BACKEND_LIBS) -lcmocka
-include $(UNIT_BINS:%=%.d)

# The libFuzzer harnesses of the parsers of untrusted bytes (make fuzz): clang only, not part of make test.
FUZZ_CC    := clang
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Ibackend/src
FUZZ_SRC_csv        := $(addprefix backend/src/,exchange/csv.c exchange/csv_text.c \
                       exchange/csv_write.c core/arena.c)
FUZZ_SRC_request    := $(addprefix backend/src/,core/uri.c http/router.c evidence/tus_meta.c \
                       core/arena.c)
FUZZ_SRC_instrument := $(addprefix backend/src/,forms/answers.c forms/answers_value.c \
                       forms/instrument.c forms/instrument_fields.c forms/instrument_index.c \
                       forms/instrument_item.c forms/instrument_names.c forms/instrument_rules.c \
                       forms/scoring.c forms/scoring_json.c forms/scoring_rules.c \
                       http/form_errors.c http/form_text.c core/arena.c)
FUZZ_LIBS_instrument := -ljansson
FUZZ_SRC_jpeg       := backend/src/evidence/jpeg_gps.c
FUZZ_SRC_webp       := backend/src/evidence/webp_meta.c
FUZZ_SRC_mp4        := backend/src/evidence/mp4_meta.c
FUZZ_LIBS_csv        := -lm
FUZZ_TARGETS := csv request instrument jpeg webp mp4

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(BACKEND_SRC) | build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRC_$*) $(FUZZ_LIBS_$*)

build/unit build/fuzz build/gen:
	mkdir -p $@

.PHONY: backend backend-asan unit-build
backend: build/release/vsokd
backend-asan: build/asan/vsokd
unit-build: $(UNIT_BINS)
