// SPDX-License-Identifier: GPL-2.0
/*
 * The Computational Programs namespace's I/O commands (NSID 2, CSI 04h):
 * none yet.  Execute Program comes here (nvme.h says the contract); until
 * then the namespace takes no I/O command: Invalid Opcode, DNR.
 */
#include <linux/nvme.h>
#include <linux/uio.h>

#include "nvme.h"

u32 uringblk_nvme_cp_io_effects(struct uringblk_dev *dev, u8 opcode)
{
	return 0;
}

int uringblk_nvme_cp_io_exec(struct uringblk_dev *dev,
			     const struct nvme_passthru_cmd64 *c,
			     struct iov_iter *iter, u64 *result)
{
	return NVME_SC_INVALID_OPCODE | URINGBLK_NVME_DNR;
}
