#!/usr/bin/env bash
# Start the local MariaDB, PostgreSQL and RabbitMQ the tests use, when they
# are installed but not running. Silent when everything is up.
set -u
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_up() { for _ in $(seq 60); do up "$1" && return 0; sleep 0.5; done; return 1; }
if ! up 5432 && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start && wait_up 5432
fi
if ! up 3306 && [ -x /usr/sbin/mariadbd ]; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd && wait_up 3306
fi
if ! up 5672 && command -v rabbitmq-server >/dev/null 2>&1; then
  rabbitmq-server -detached && wait_up 5672
fi
exit 0
