#!/usr/bin/env bash
# Debian's chromium for the review UI's end-to-end tests (playwright-core drives it; no browser download).
set -euo pipefail
command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium)
