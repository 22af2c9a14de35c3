# Entry points for people and CI: each target installs missing Debian packages, then builds.
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEBIAN_PACKAGES = cmake ninja-build g++ make libcli11-dev nlohmann-json3-dev libboost-math-dev \
                  libfmt-dev libgtest-dev libbenchmark-dev cmark-gfm \
                  chromium python3 groff-base dpkg-dev file zsh

.PHONY: all deps build demo test asan bench screenshot clean

all: build

# Installs only what is missing: `apt-get update` once, then one `apt-get install`.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DKSAIL_WARNINGS_AS_ERRORS=ON
	cmake --build $(BUILD) -j $(JOBS)

# Builds the tool and compares the bundled KSail-shaped example (before vs after).
demo: build
	cd testdata/ksail && ../../$(BUILD)/ksail-benchstat before.txt after.txt

# The whole suite twice: the release build, then the same tests under ASan+UBSan.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory asan

# Regenerates docs/images/html-report.png, the README's picture of the HTML report (emoji need an
# emoji font such as fonts-noto-color-emoji).
screenshot: build
	cd testdata/ksail && ../../$(BUILD)/ksail-benchstat -o ../../$(BUILD)/report.html before.txt after.txt
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir=$(BUILD)/chromium-profile \
	  --window-size=1440,1000 --screenshot=docs/images/html-report.png file://$(CURDIR)/$(BUILD)/report.html

# Address and undefined-behaviour sanitizers at -O1 (fast enough to run in CI); any report fails.
SANITIZER_ENV = ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:strict_string_checks=1 \
                UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
asan: deps
	cmake -S . -B $(BUILD)-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
	  -DKSAIL_SANITIZE=ON -DKSAIL_WARNINGS_AS_ERRORS=ON
	cmake --build $(BUILD)-asan -j $(JOBS)
	$(SANITIZER_ENV) ctest --test-dir $(BUILD)-asan --output-on-failure -j $(JOBS)

bench: deps
	cmake -S . -B $(BUILD)-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DKSAIL_BUILD_BENCH=ON
	cmake --build $(BUILD)-bench -j $(JOBS)

clean:
	rm -rf $(BUILD) $(BUILD)-asan $(BUILD)-bench
