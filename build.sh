#!/usr/bin/env bash
# RedShip's one entry point. Idempotent: installs only what is missing, so a warm run is fast.
#
#   ./build.sh            build dist/extension, dist/extension-dev and dist/redship-<version>.zip
#   ./build.sh demo       build, start the workbench replica, show the extension working on it
#   ./build.sh test       all tests: native, wasm (node + headless Chromium), end-to-end
#   ./build.sh test-native | test-wasm | test-e2e [files…]   one layer alone
#   ./build.sh bench      benchmarks, ratios against baselines measured in the same run
#   ./build.sh package    the store-ready zip, the store's pictures (dist/store/), and the check of
#                         the listing kit (store/) and the zip against the stores' offline rules
#   ./build.sh fuzz [secs] run every cargo-fuzz target for a bounded time (nightly toolchain)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

say() { printf '\033[1;31m▶\033[0m %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

# ── tools ────────────────────────────────────────────────────────────────────────────────────
ensure_rust() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup first"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen CLI must be exactly the version Cargo.lock pins for the library.
ensure_wasm_bindgen() {
  local want have=""
  want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
  [ -n "$want" ] || die "wasm-bindgen not found in Cargo.lock"
  command -v wasm-bindgen >/dev/null && have=$(wasm-bindgen --version | awk '{print $2}')
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (about 2 minutes, once)"
    # Not --locked: the CLI's own lockfile pins a crate version missing from the registry.
    cargo install wasm-bindgen-cli --version "=$want" --quiet
  fi
}

ensure_npm() {
  command -v node >/dev/null || { say "installing Node.js"; $SUDO apt-get update -qq; $SUDO apt-get install -y -qq nodejs npm; }
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

APT_UPDATED=0
apt_install() {
  [ "$APT_UPDATED" = 1 ] || { $SUDO apt-get update -qq; APT_UPDATED=1; }
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_browser() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v faketime >/dev/null || missing+=(faketime)
  fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk' || missing+=(fonts-wqy-microhei)
  # Chromium shows extensions (and pages) in Chinese only with its language pack installed.
  [ -f /usr/lib/chromium/locales/zh-CN.pak ] || missing+=(chromium-l10n)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing from Debian: ${missing[*]}"
    apt_install "${missing[@]}"
  fi
}

# ── build ────────────────────────────────────────────────────────────────────────────────────
build() {
  ensure_rust; ensure_wasm_bindgen; ensure_npm
  # One build at a time in this tree (several terminals or engineers may run it at once).
  mkdir -p target; exec 9>target/.build.lock; flock 9
  # Two modules, built one at a time: cargo unifies features across packages built together,
  # and the main module must not get the core's `office` feature.
  local pkg=target/pkg
  rm -rf "$pkg"; mkdir -p "$pkg"
  local crate
  for crate in redship-wasm redship-office; do
    say "building the wasm module $crate (release)"
    cargo build -p "$crate" --release --target wasm32-unknown-unknown --quiet
    wasm-bindgen --target web --out-dir "$pkg" --no-typescript \
      "target/wasm32-unknown-unknown/release/${crate//-/_}.wasm"
  done
  say "optimising with wasm-opt -Oz (binaryen from npm)"
  # The main module is compiled at every worker start and has a size guard (≤ 420 KB gzipped):
  # it gets --converge (passes repeated while they shrink it: 1.9 KB gzipped less, measured), the
  # office module one round.
  local converge
  for crate in redship_wasm redship_office; do
    converge=(); [ "$crate" = redship_wasm ] && converge=(--converge)
    node_modules/.bin/wasm-opt -Oz "${converge[@]}" --enable-bulk-memory --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-reference-types --enable-multivalue --enable-mutable-globals \
      "$pkg/${crate}_bg.wasm" -o "$pkg/${crate}_bg.wasm"
  done
  say "assembling dist/"
  node tools/assemble.mjs "$pkg"
  flock -u 9
}

# The independent writers of the workbook tests: xlwt (.xls) and odfpy (.ods) for the old-format
# fixtures (tests/fixtures/make_old_workbooks.py), openpyxl (.xlsx) and xlwt for the warehouse
# round trip (tests/fixtures/warehouse_fill.py). Skipped once all import; without pip the tests
# say they skipped.
ensure_python_writers() {
  python3 -c 'import xlwt, odf, openpyxl' 2>/dev/null && return 0
  if command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1; then
    say "installing the Python workbook writers for the tests (xlwt, odfpy, openpyxl)"
    python3 -m pip install --quiet xlwt odfpy openpyxl || say "pip could not install xlwt/odfpy/openpyxl: the workbook tests that need them skip"
  fi
}

# ── tests ────────────────────────────────────────────────────────────────────────────────────
test_native() {
  ensure_python_writers
  say "native tests (cargo test)"
  cargo test -p redship-core --quiet
  say "native tests of the core without the office feature (what the main wasm module runs)"
  cargo test -p redship-core --no-default-features --lib --quiet
}

# Formatting (rustfmt.toml) and clippy's warnings, when this toolchain has the components (rustup
# installs both by default; they cannot be added without the Rust distribution server).
test_lint() {
  if cargo fmt --version >/dev/null 2>&1; then
    say "rustfmt check"
    cargo fmt --all -- --check
    cargo fmt --manifest-path fuzz/Cargo.toml -- --check
  else
    say "rustfmt is not installed: formatting not checked"
  fi
  if cargo clippy --version >/dev/null 2>&1; then
    say "clippy (warnings are errors)"
    cargo clippy --workspace --all-targets --quiet -- -D warnings
    # The boundary crates' own tests only build for wasm32 (wasm_bindgen_test).
    cargo clippy --target wasm32-unknown-unknown -p redship-wasm -p redship-office --all-targets --quiet -- -D warnings
  else
    say "clippy is not installed: lints not checked"
  fi
}

test_wasm() {
  ensure_rust; ensure_wasm_bindgen; ensure_browser
  local crate
  # One package per cargo call, as in build(): the main module's tests must run without the
  # core's `office` feature.
  for crate in redship-wasm redship-office; do
    say "wasm boundary tests of $crate in node"
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
      cargo test -p "$crate" --target wasm32-unknown-unknown
    say "wasm boundary tests of $crate in headless Chromium"
    WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
      cargo test -p "$crate" --target wasm32-unknown-unknown
  done
}

test_e2e() {
  ensure_browser
  ensure_python_writers
  [ -f "${REDSHIP_DIST:-dist}/extension-dev/manifest.json" ] || build
  say "end-to-end tests (node --test, playwright-core, Chromium, the unpacked extension)"
  if [ $# -gt 0 ]; then
    node --test --test-concurrency=1 "$@"
  else
    node --test --test-concurrency=1 tests/e2e/*.test.mjs
  fi
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
  build) build ;;
  package)
    build; ensure_browser
    say "store pictures from the demo (dist/store/)"
    node tools/store-shots.mjs
    say "checking the store kit and the zip (tools/check-store.mjs)"
    node tools/check-store.mjs
    ls -l dist/redship-*.zip dist/store ;;
  test)
    build; ensure_browser
    test_lint; test_native; test_wasm; test_e2e ;;
  test-lint) test_lint ;;
  test-native) test_native ;;
  test-wasm) test_wasm ;;
  test-e2e) build; test_e2e "$@" ;;
  demo)
    build; ensure_browser
    say "starting the workbench replica and Chromium with RedShip loaded"
    node tests/demo/demo.mjs "$@" ;;
  bench)
    build; ensure_browser
    node bench/run.mjs "$@" ;;
  fuzz)
    rustup toolchain list | grep -q nightly || die "cargo fuzz needs the nightly toolchain"
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --quiet
    secs=${1:-30}
    for t in $(cd fuzz && cargo +nightly fuzz list); do
      say "fuzzing $t for ${secs}s"
      # New inputs go to target/corpus (first folder); the committed seeds stay as they are.
      (cd fuzz && mkdir -p "target/corpus/$t" && cargo +nightly fuzz run "$t" "target/corpus/$t" "corpus/$t" -- -max_total_time="$secs")
    done ;;
  *) die "unknown command '$cmd' (build | demo | test | test-lint | test-native | test-wasm | test-e2e | bench | package | fuzz)" ;;
esac
