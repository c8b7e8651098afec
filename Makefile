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

.PHONY: all build release check-helper-links test demo bench install uninstall clean

all: release

build:
	$(SWIFT) build

# The helper's release build links the Swift runtime statically (Package.swift) and must load
# neither Foundation nor ICU nor curl: it runs on every `docker pull`.
release:
	scripts/bootstrap
	$(SWIFT) build -c release --product docker-credential-swift
	$(SWIFT) build -c release --product credtool
	$(MAKE) check-helper-links

check-helper-links:
	@if ldd $(HELPER) | grep -Ei 'foundation|icu|curl|libswift|dispatch'; then \
	  echo "check-helper-links: $(HELPER) links the libraries above; it must not" >&2; exit 1; \
	else echo "check-helper-links: $(HELPER) links no Foundation, ICU, curl or dynamic Swift runtime"; fi

test: release
	$(SWIFT) build --build-tests
	scripts/with-keyring $(SWIFT) test --skip-build

demo: release
	scripts/with-keyring scripts/demo

bench: release
	bench/helper-bench

install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(HELPER) $(RELEASE_DIR)/credtool $(DESTDIR)$(PREFIX)/bin/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/docker-credential-swift $(DESTDIR)$(PREFIX)/bin/credtool

clean:
	$(SWIFT) package clean
