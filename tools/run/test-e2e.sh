#!/usr/bin/env bash
# End-to-end and fault tests against the real local stack, its secure side included (TLS and SASL
# listeners, Elasticsearch behind nginx). Starts the stack when it is not running and, in that case,
# stops it again afterwards (CAIRN_KEEP_STACK=1 keeps it for the next run).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stack="$here/../local-stack/stack.sh"

started_here=0
if ! bash "$stack" status --secure >/dev/null 2>&1; then
  # A plain stack already running is completed, not restarted from scratch: start is idempotent.
  bash "$stack" status >/dev/null 2>&1 || started_here=1
  bash "$stack" start --secure || exit 1
fi

# One stack start for every suite named (CAIRN_JEST_CONFIGS, default the e2e suite).
rc=0
for config in ${CAIRN_JEST_CONFIGS:-jest.e2e.config.js}; do
  npx jest --config "$here/../../$config" --runInBand "$@" || rc=1
done

if [ $started_here -eq 1 ] && [ "${CAIRN_KEEP_STACK:-0}" != "1" ]; then
  bash "$stack" stop
fi
exit $rc
