#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-toy-nvme.sh - the toy NVMe command of
# Documentation/dev/toy-nvme-cmd.patch (NVM Verify, made by following
# CONTRIBUTING.md's "Add an NVMe command") still shows what that section
# says: the checks of check-toy-cmdset.sh (every file the patch touches is
# named in the section, every file the section names exists, the patch
# applies), on that patch and section.  No build: the patch was built and
# its kselftests run in the VM when it was made (CONTRIBUTING.md,
# "Example: a toy NVMe command").  PATCH= and CONTRIBUTING= override the
# two files (to show the check failing).
# Ends with "check-toy-nvme: N checks passed, N failed".
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
PATCH=${PATCH:-$top/Documentation/dev/toy-nvme-cmd.patch} SECTION="Add an NVMe command" \
CHECK=check-toy-nvme TOP=$top exec bash "$(dirname "${BASH_SOURCE[0]}")/check-toy-cmdset.sh"
