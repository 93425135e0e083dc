# The README's two commands: `make serve` and `make test`. Each installs only what is missing
# (`make tools` installs everything) and says nothing about what is already there.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(CURDIR)/node_modules/binaryen/bin:$(PATH)

TRUNK_VERSION := 0.21.14
# Must equal the wasm-bindgen crate version pinned in Cargo.toml / Cargo.lock.
WASM_BINDGEN_VERSION := 0.2.130
CHROMEDRIVER := /usr/bin/chromedriver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test tools wasm-target trunk wasm-bindgen chromium node-deps editor build \
	test-native test-wasm test-e2e test-endpoint load pyenv conformance bench bench-wasm fuzz fuzz-jsonata \
	embed package

# The page on http://127.0.0.1:8080, rebuilt when a source changes.
serve: wasm-target trunk wasm-bindgen node-deps editor embed
	trunk serve --release --address 127.0.0.1 --port 8080

# Every test: native (unit, engine, conformance ratchet), the engine in headless Chromium, the
# release page build, and the page driven end to end.
test: tools lint test-native test-wasm build test-e2e test-endpoint

tools: wasm-target trunk wasm-bindgen chromium node-deps pyenv

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

trunk:
	@trunk --version 2>/dev/null | grep -qF "$(TRUNK_VERSION)" || cargo install --locked trunk --version $(TRUNK_VERSION)

# Also installs wasm-bindgen-test-runner. wasm-bindgen-cli 0.2.130's lock file names a
# webpki-roots version the registry no longer offers, so it installs without --locked.
wasm-bindgen:
	@wasm-bindgen --version 2>/dev/null | grep -qF "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# Debian's chromium and chromedriver (same version), for the wasm tests and the page tests.
chromium:
	@{ command -v chromium && command -v chromedriver; } >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

# playwright-core (drives the system Chromium, never downloads one), binaryen (wasm-opt for trunk),
# CodeMirror and esbuild (the definition editor), aws-local-stepfunctions (make bench-wasm), at the
# versions in package-lock.json.
node-deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The definition editor: CodeMirror 6 and its glue (www/editor/editor.js) in one script, which
# index.html has trunk copy into dist/.
editor: target/editor/editor.js

target/editor/editor.js: www/editor/editor.js node_modules/.installed
	esbuild www/editor/editor.js --bundle --minify --format=iife --target=es2020 --log-level=warning --outfile=$@

# The page, optimised (wasm-opt -Oz), into dist/, with the embed beside it in dist/embed/.
build: wasm-target trunk wasm-bindgen node-deps editor embed
	trunk build --release

# The embed and the npm package's browser build: the library alone (no Yew, no editor) as wasm,
# wasm-bindgen's glue, and www/embed/ bundled by esbuild into target/embed/ (which index.html has
# trunk copy to dist/embed/): sfnsim.js (the one-script-tag loader), sfnsim.mjs (the API and the
# embed UI), sfnsim_wasm_bg.wasm, frame.html (the iframe form).
EMBED_WASM := $(or $(CARGO_TARGET_DIR),target)/wasm32-unknown-unknown/release-wasm/sfnsim.wasm
WASM_OPT_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
embed: target/.embed-built

target/.embed-built: $(shell find src www/embed -type f) Cargo.toml Cargo.lock node_modules/.installed
	cargo build --lib --features js-api --target wasm32-unknown-unknown --profile release-wasm
	rm -rf target/embed-src target/embed && mkdir -p target/embed-src target/embed
	wasm-bindgen --target web --out-dir target/embed-src --out-name sfnsim_wasm $(EMBED_WASM)
	wasm-opt -Oz $(WASM_OPT_FEATURES) --strip-debug --strip-producers -o target/embed/sfnsim_wasm_bg.wasm target/embed-src/sfnsim_wasm_bg.wasm
	cp target/embed/sfnsim_wasm_bg.wasm target/embed-src/sfnsim_wasm_bg.wasm
	cp www/embed/*.mjs www/embed/*.css www/embed/*.d.ts target/embed-src/
	esbuild target/embed-src/browser.mjs --bundle --minify --format=esm --target=es2022 --loader:.css=text --log-level=warning --outfile=target/embed/sfnsim.mjs
	esbuild www/embed/loader.js --minify --target=es2018 --log-level=warning --outfile=target/embed/sfnsim.js
	cp www/embed/frame.html www/embed/frame.css www/embed/frame.mjs target/embed/
	@touch $@

# The npm package `sfnsim` as a tarball under target/npm/: the browser build (sfnsim.mjs, the
# same file the embeds load), the node entry, the wasm, the TypeScript definitions, a README.
package: embed
	rm -rf target/npm && mkdir -p target/npm/sfnsim
	cp target/embed/sfnsim.mjs target/embed/sfnsim_wasm_bg.wasm target/npm/sfnsim/
	cp target/embed-src/sfnsim_wasm.js target/embed-src/sfnsim_wasm.d.ts www/embed/node.mjs www/embed/index.d.ts target/npm/sfnsim/
	cp www/embed/package.json www/embed/README.md target/npm/sfnsim/
	cd target/npm && npm pack --silent ./sfnsim >/dev/null && ls -l sfnsim-*.tgz

test-native:
	cargo test
	cargo run --quiet --bin sfnsim -- test www/examples

# Clippy with warnings as errors: the native targets (library, binaries, tests, benches) and the
# wasm32 build (the page and, with --all-features, the JavaScript API of the embeds).
.PHONY: lint
lint: wasm-target
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --bins --all-features -- -D warnings

test-wasm: wasm-target wasm-bindgen chromium
	CHROMEDRIVER=$(CHROMEDRIVER) cargo test --features js-api --target wasm32-unknown-unknown --test wasm

test-e2e: build package chromium pyenv
	node --test tests/e2e/

# boto3 and the AWS CLI (tests/endpoint/requirements.txt) and MkDocs (tests/docs/requirements.txt),
# from PyPI, pinned, in a virtualenv under target/.
pyenv: target/pyenv/.installed

target/pyenv/.installed: tests/endpoint/requirements.txt tests/docs/requirements.txt
	@python3 -c 'import ensurepip' 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; }
	python3 -m venv target/pyenv
	target/pyenv/bin/pip install -q --disable-pip-version-check -r tests/endpoint/requirements.txt -r tests/docs/requirements.txt
	@touch $@

# `sfnsim serve` driven by boto3 and the AWS CLI (activities with a polling worker thread, a
# callback, pagination, idempotency, stop, update, tags, errors, an Express sync run, the virtual clock).
# Then hostile input (huge and half-sent bodies, thousands of idle connections under an fd limit of
# 1,024, runaway expressions) and a short load test. SFNSIM_BIN names another build's binary.
SFNSIM_BIN ?= $(or $(CARGO_TARGET_DIR),target)/debug/sfnsim
test-endpoint: pyenv
	cargo build --bin sfnsim
	SFNSIM_BIN=$(SFNSIM_BIN) target/pyenv/bin/python tests/endpoint/test_endpoint.py
	SFNSIM_BIN=$(SFNSIM_BIN) target/pyenv/bin/python tests/endpoint/test_test_state.py
	SFNSIM_BIN=$(SFNSIM_BIN) target/pyenv/bin/python tests/endpoint/test_map_runs.py
	SFNSIM_BIN=$(SFNSIM_BIN) target/pyenv/bin/python tests/endpoint/test_junit.py
	SFNSIM_BIN=$(SFNSIM_BIN) target/pyenv/bin/python tests/endpoint/test_ci.py
	SFNSIM_BIN=$(SFNSIM_BIN) target/pyenv/bin/python tests/endpoint/test_persist.py
	SFNSIM_BIN=$(SFNSIM_BIN) target/pyenv/bin/python tests/endpoint/test_hostile.py
	SFNSIM_BIN=$(SFNSIM_BIN) target/pyenv/bin/python tests/endpoint/load.py --clients 8,32,128 --seconds 2

# The endpoint under load (not part of `make test`): 8, 32 and 128 concurrent keep-alive clients,
# 10 s each, on a release build; errors, stalls, latency percentiles and the server's memory.
load: pyenv
	cargo build --release --bin sfnsim
	target/pyenv/bin/python tests/endpoint/load.py --bin $(or $(CARGO_TARGET_DIR),target)/release/sfnsim --clients 8,32,128 --seconds 10

conformance:
	cargo run --release -- conformance ../shared/conformance/aws-recorded.jsonl
	cargo run --release -- conformance ../shared/conformance/aws-recorded-test-state.jsonl

bench:
	cargo bench --bench engine
	cargo bench --bench graph

# Per-call latency of StartExecution, DescribeExecution and the List calls with 10,000 state
# machines and 100,000 executions against a service holding one page of each (tests/growth.rs,
# not part of `make test`), and the memory they take; fails when a call is over 2x slower.
# GROWTH_MACHINES, GROWTH_EXECUTIONS, GROWTH_RUNNING, GROWTH_RETAIN, GROWTH_MAX_RATIO size it.
.PHONY: bench-growth
bench-growth:
	cargo test --release --test growth -- --ignored --nocapture

# Layout quality over ../shared/realworld (not part of `make test`): our scenes and dagre's layout
# of the same nodes, measured alike, side by side (benches/layout/quality.mjs says what each
# column means); the full report lands in layout-bench/report.json in the cargo target directory.
LAYOUT_BENCH := $(or $(CARGO_TARGET_DIR),target)/layout-bench
.PHONY: layout-bench
layout-bench: node-deps
	cargo build --release --example layout_export
	mkdir -p $(LAYOUT_BENCH)
	$(or $(CARGO_TARGET_DIR),target)/release/examples/layout_export ../shared/realworld/defs.jsonl > $(LAYOUT_BENCH)/scenes.jsonl
	node benches/layout/quality.mjs $(LAYOUT_BENCH)/scenes.jsonl --rows --json $(LAYOUT_BENCH)/report.json

# The wasm engine in node next to aws-local-stepfunctions, same machine, same run.
bench-wasm: node-deps wasm-target wasm-bindgen
	cargo build --release --features js-api --target wasm32-unknown-unknown --lib
	wasm-bindgen --target nodejs --out-dir target/node target/wasm32-unknown-unknown/release/sfnsim.wasm
	echo '{"type": "commonjs"}' > target/node/package.json
	node benches/node/wasm_vs_als.mjs

# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the installed stable toolchain use them.
# Every target for FUZZ_SECONDS each (10 minutes by default), seeded from the recordings, the
# JSONata suite and the lessons. An input slower than 5 s or over 2048 MB is a failure: `budgets`
# keeps the evaluators' size and step limits true, so it is built without AddressSanitizer (which
# makes code about 40 times slower and memory larger; the time and memory it checks are real ones).
FUZZ_SECONDS ?= 600
FUZZ_LIMITS = -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=5
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
	-python3 fuzz/seed_from_conformance.py
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run parse_validate_run corpus/parse_validate_run -- $(FUZZ_LIMITS) -max_len=8192
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none budgets corpus/budgets -- $(FUZZ_LIMITS) -max_len=1024
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run share_decode corpus/share_decode -- $(FUZZ_LIMITS) -max_len=65536
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run history_import corpus/history_import -- $(FUZZ_LIMITS) -max_len=65536
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run console_line corpus/console_line -- $(FUZZ_LIMITS) -max_len=4096
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run lesson_parse corpus/lesson_parse -- $(FUZZ_LIMITS) -max_len=16384

# The JSONata evaluator over arbitrary expressions (10 minutes), seeded with the official suite's;
# an input that takes over 5 s is a failure (the evaluator is budgeted: nothing may run that long).
fuzz-jsonata:
	@command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
	mkdir -p fuzz/corpus/jsonata_eval
	-python3 -c "import json,glob,hashlib; [open('fuzz/corpus/jsonata_eval/'+hashlib.sha1(c['expr'].encode()).hexdigest(),'w').write(c['expr']) for f in glob.glob('../shared/jsonata-test-suite/groups/*/*.json') for c in (lambda d: d if isinstance(d,list) else [d])(json.load(open(f))) if isinstance(c.get('expr'),str)]"
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run jsonata_eval corpus/jsonata_eval -- -max_total_time=600 -max_len=512 -timeout=5
