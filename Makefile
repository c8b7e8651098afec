# credtool — build, test, demo, benchmark and install.
#
#   make demo      build and run a real round trip on a private keyring
#   make test      every test: unit, keyring, registry, end to end (installs what it needs)
#   make bench     the helper against Docker's secretservice helper (bench/helper-bench)
#   make install   PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
RELEASE_DIR = .build/release
HELPER = $(RELEASE_DIR)/docker-credential-swift

.PHONY: all build release static-libstdc++ check-helper-links test demo bench install install-files uninstall clean

all: release

build:
	$(SWIFT) build

# Release builds link the Swift runtime (and credtool's Foundation) statically: the loader then
# binds no Swift symbols at start-up (credtool: 6 ms instead of 18 ms). The helper must load
# neither Foundation nor ICU nor curl: it runs on every `docker pull`.
#
# libstdc++, which the Swift runtime needs, is linked statically too: bound at start-up it cost
# 1,700 symbol lookups, a third of the helper's start-up instructions. The runtime's link
# arguments say -lstdc++; the linker looks in STATIC_CXX_DIR first, which holds only the archive.
STATIC_CXX_DIR = .build/static-libstdc++
RELEASE_FLAGS = -c release --static-swift-stdlib -Xlinker -L$(CURDIR)/$(STATIC_CXX_DIR)

release:
	scripts/bootstrap
	$(MAKE) static-libstdc++
	$(SWIFT) build $(RELEASE_FLAGS) --product docker-credential-swift
	$(SWIFT) build $(RELEASE_FLAGS) --product credtool
	$(MAKE) check-helper-links

# The archive the toolchain's clang would link (the same GCC installation), found afresh each time.
static-libstdc++:
	@archive=$$($(dir $(shell command -v $(SWIFT)))clang -print-file-name=libstdc++.a); \
	case "$$archive" in /*) ;; *) echo "static-libstdc++: no libstdc++.a found (install libstdc++-12-dev)" >&2; exit 69;; esac; \
	mkdir -p $(STATIC_CXX_DIR) && ln -sfn "$$archive" $(STATIC_CXX_DIR)/libstdc++.a

check-helper-links:
	@if ldd $(HELPER) | grep -Ei 'foundation|icu|curl|libswift|dispatch|libstdc'; then \
	  echo "check-helper-links: $(HELPER) links the libraries above; it must not" >&2; exit 1; \
	else echo "check-helper-links: $(HELPER) links no Foundation, ICU, curl, libstdc++ or dynamic Swift runtime"; fi

test: release
	$(SWIFT) build --build-tests
	scripts/with-keyring $(SWIFT) test --skip-build

demo: release
	scripts/with-keyring scripts/demo

bench: release
	bench/helper-bench

# Where `install` puts things, under $(DESTDIR)$(PREFIX).
BINDIR = $(DESTDIR)$(PREFIX)/bin
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHCOMPDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHCOMPDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

install: release
	$(MAKE) install-files

# Copies the binaries already built in $(RELEASE_DIR), the man pages and the completions;
# builds nothing (the install test points RELEASE_DIR at its own build).
install-files:
	install -d $(BINDIR) $(MAN1DIR) $(BASHCOMPDIR) $(ZSHCOMPDIR) $(FISHCOMPDIR)
	install -m 0755 $(RELEASE_DIR)/docker-credential-swift $(RELEASE_DIR)/credtool $(BINDIR)/
	install -m 0644 man/credtool.1 man/docker-credential-swift.1 $(MAN1DIR)/
	install -m 0644 completions/credtool.bash $(BASHCOMPDIR)/credtool
	install -m 0644 completions/docker-credential-swift.bash $(BASHCOMPDIR)/docker-credential-swift
	install -m 0644 completions/_credtool completions/_docker-credential-swift $(ZSHCOMPDIR)/
	install -m 0644 completions/credtool.fish completions/docker-credential-swift.fish $(FISHCOMPDIR)/

# Removes the files `install` put there; the directories stay (others share them).
uninstall:
	rm -f $(BINDIR)/docker-credential-swift $(BINDIR)/credtool
	rm -f $(MAN1DIR)/credtool.1 $(MAN1DIR)/docker-credential-swift.1
	rm -f $(BASHCOMPDIR)/credtool $(BASHCOMPDIR)/docker-credential-swift
	rm -f $(ZSHCOMPDIR)/_credtool $(ZSHCOMPDIR)/_docker-credential-swift
	rm -f $(FISHCOMPDIR)/credtool.fish $(FISHCOMPDIR)/docker-credential-swift.fish

clean:
	$(SWIFT) package clean

# --- Reliability: fuzzing and sanitizers (fuzz/README.md) -----------------------------------
#
#   make fuzz              every fuzz target for FUZZ_SECONDS each (default 60)
#   make fuzz-json         one target: json helper auth challenge yaml
#   make sanitize-address  the whole test suite under AddressSanitizer (.build/asan)
#   make sanitize-thread   the concurrent tests under ThreadSanitizer (.build/tsan)
#
# A fuzz run reads the seeds in fuzz/corpus/<target> (kept in the repo) and writes what it finds
# to .build/fuzz/corpus/<target>; a crash leaves its input in .build/fuzz/artifacts/<target>/.

FUZZ_SECONDS ?= 60
FUZZ_TARGETS = json helper auth challenge yaml
FUZZ_FLAGS ?=
# The tests whose code runs on several threads at once: concurrent writers under the config
# lock, URLSession's delegate queue and timeout timer (RegistryAuth logins), the helper client's
# pipes and deadline, and parallel helper processes on the keyring.
TSAN_FILTER ?= ConfigFileAccessTests|ConcurrentLogoutTests|BasicLoginTests|BearerLoginTests|TLSLoginTests|NetworkFailureTests|ExternalHelperStoreTests|HelperKeyringTests

.PHONY: fuzz $(FUZZ_TARGETS:%=fuzz-%) sanitize-address sanitize-thread

fuzz: $(FUZZ_TARGETS:%=fuzz-%)

$(FUZZ_TARGETS:%=fuzz-%): fuzz-%:
	fuzz/build $*
	mkdir -p .build/fuzz/corpus/$* .build/fuzz/artifacts/$*
	SWIFT_BACKTRACE=enable=no .build/fuzz/bin/$* -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	  -artifact_prefix=.build/fuzz/artifacts/$*/ $(FUZZ_FLAGS) .build/fuzz/corpus/$* fuzz/corpus/$*

# LeakSanitizer stays on (for the test process and every binary it runs), except for leaks
# inside the toolchain and system libraries, each reproduced without our code:
#   readBytesFromFile  FoundationEssentials' Data/String(contentsOfFile:) (test fixtures)
#   libFoundation.so   swift-corelibs Process, Pipe, FileHandle (test fixtures; URLSession)
#   libXCTest.so       the XCTest runner's own objects
#   libcurl.so         FoundationNetworking's URLSession, per session, even when invalidated
#   libglib-2.0.so     libsecret's prompt proxy after an unlock that could not prompt (16 bytes;
#                      ASAN_OPTIONS=fast_unwind_on_malloc=0 shows _secret_prompt_instance under
#                      secret_service_unlock_dbus_paths_sync). GLib has no frame pointers, so the
#                      default unwinder stops at g_malloc0 and only the library can be named;
#                      the slow unwinder makes the login tests miss their 10 s deadlines.
LSAN_SUPPRESSIONS = readBytesFromFile libFoundation.so libXCTest.so libcurl.so libglib-2.0.so

sanitize-address:
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan
	printf 'leak:%s\n' $(LSAN_SUPPRESSIONS) > .build/asan/lsan.supp
	LSAN_OPTIONS=suppressions=$(CURDIR)/.build/asan/lsan.supp:print_suppressions=0 \
	  scripts/with-keyring $(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan

sanitize-thread:
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build/tsan
	TSAN_OPTIONS=halt_on_error=1 \
	  scripts/with-keyring $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build/tsan \
  --filter '$(TSAN_FILTER)'
