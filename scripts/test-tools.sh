#!/usr/bin/env bash
# What the test suites need besides PostgreSQL and Kafka, installed from Debian's packages when missing:
# xmllint (exported XML is validated against the ODM schema) and Chromium (the web app's browser suite).
set -euo pipefail

missing=()
command -v xmllint >/dev/null || missing+=(libxml2-utils)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "test tools: installing ${missing[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
