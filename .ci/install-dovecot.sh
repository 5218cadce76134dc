#!/bin/sh
# Installs Dovecot (IMAP) for the imap-listener integration tests. Idempotent.
set -eu
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || {
  SUDO=""
  [ "$(id -u)" = "0" ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends dovecot-imapd
}
dovecot --version 2>/dev/null || /usr/sbin/dovecot --version
