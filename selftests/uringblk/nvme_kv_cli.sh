#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Documentation/dev/nvme-kv.md's nvme-cli session, run: every "# " command
# of its "## Examples with nvme-cli" section, in order, on a kv drive
# (kv=1 capacity_mb=16), its output compared with what the document shows,
# through readme_tour.sh's reader (see there for the format).  So the
# document's io-passthru examples of Store, Retrieve, List, Delete, Exist,
# the statuses and the feature stay true.  Skips without nvme-cli.
# Leaves the module unloaded.

cd "$(dirname "$0")" || exit 1
source ./lib.sh

for TOP in "$(dirname "${URINGBLK_KO:-.}")" ../.. ../../..; do
	[[ -r $TOP/Documentation/dev/nvme-kv.md ]] && break
done
if ! command -v nvme > /dev/null; then
	ktap_plan 1
	ktap_run nvme_kv_cli skip "nvme-cli not installed (tools/deps.sh)"
	ktap_finish
fi
URINGBLK_README=$(cd "$TOP" && pwd -P)/Documentation/dev/nvme-kv.md \
URINGBLK_TOUR_SECTION='## Examples with nvme-cli' \
URINGBLK_TOUR_PARAMS='kv=1 capacity_mb=16' \
URINGBLK_TOUR_NAME=nvme_kv \
	exec ./readme_tour.sh
