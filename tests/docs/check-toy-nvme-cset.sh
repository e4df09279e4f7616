#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/docs/check-toy-nvme-cset.sh - the toy NVMe command set of
# Documentation/dev/toy-nvme-cset.patch (CSI 30h on NSID 4, made by
# following CONTRIBUTING.md's "Add an NVMe command set") still shows what
# that section says: the checks of check-toy-cmdset.sh (every file the
# patch touches is named in the section, every file the section names
# exists, the patch applies), on that patch and section.  No build: the
# patch was built and its kselftests run in the VM when it was made
# (CONTRIBUTING.md, "Example: a toy NVMe command set").  PATCH= and
# CONTRIBUTING= override the two files (to show the check failing).
# Ends with "check-toy-nvme-cset: N checks passed, N failed".
top=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)}
PATCH=${PATCH:-$top/Documentation/dev/toy-nvme-cset.patch} SECTION="Add an NVMe command set" \
CHECK=check-toy-nvme-cset TOP=$top exec bash "$(dirname "${BASH_SOURCE[0]}")/check-toy-cmdset.sh"
