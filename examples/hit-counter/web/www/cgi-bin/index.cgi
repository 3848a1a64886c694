#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# GET / (busybox httpd runs /cgi-bin/index.cgi for a directory without index.html): counts the hit in Redis.
# busybox httpd passes a CGI's output through as is when it starts with a status line, which is how the 503 gets out.
hits="$(redis-cli -h "${REDIS_HOST:-redis}" INCR hits 2>&1)"
case "$hits" in
  '' | *[!0-9]*) printf 'HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nredis did not answer: %s\n' "$hits" ;;
  *) printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhits: %s\n' "$hits" ;;
esac
