#!/usr/bin/env bash
# make test-cluster: a fresh cluster (backend/deploy/cluster.sh, state in var/cluster, wiped
# first), the checks of tests/cluster/failover.mjs against it, then the cluster stopped.
# Long (about three minutes) and not part of make test. CLUSTER_PORT: nginx's port (the
# databases take the next ports, see cluster.sh); CLUSTER_LOAD_SECONDS, CLUSTER_SAVERS: the
# load phase.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CLUSTER_PORT=${CLUSTER_PORT:-38080}
command -v wrk >/dev/null || { echo "test-cluster: wrk not found (make deps installs it)" >&2; exit 1; }
backend/deploy/cluster.sh stop >/dev/null 2>&1 || true
rm -rf var/cluster
trap 'backend/deploy/cluster.sh stop >/dev/null 2>&1 || true' EXIT
start=$SECONDS
backend/deploy/cluster.sh start
echo "test-cluster: the cluster started in $((SECONDS - start)) s"
node tests/cluster/failover.mjs
