#!/bin/sh
# The official image builds redis-server with protected mode off (a container's port is reachable
# only on the networks it is put on); Debian's binary has it on, which refuses every client not on
# loopback when no password is set. The same default here, passed as the first option so that a
# configuration file (which must come first) and the options after it can still change it.
set -e
case "${1:-}" in
  -v | --version | -h | --help | --test-memory | --check-system) exec /usr/bin/redis-server "$@" ;;
  -* | '') exec /usr/bin/redis-server --protected-mode no "$@" ;;
  *) config=$1; shift; exec /usr/bin/redis-server "$config" --protected-mode no "$@" ;;
esac
