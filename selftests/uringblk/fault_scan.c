// SPDX-License-Identifier: GPL-2.0
/*
 * fault_scan: read or write a block device one logical block at a time
 * with O_DIRECT and print the blocks that failed with EIO, for fault.sh
 * (one process for a whole scan: exec is slow in the TCG guest).
 *
 *   fault_scan read|write DEVICE BLOCK_SIZE FIRST COUNT
 *
 * Prints the failing block numbers on one line ("" if none).  A write
 * stores the byte (lba & 0xff) + 1 in every byte of its block.  Exit
 * status 0, or 2 on usage errors and on errors other than EIO.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long long first, count, lba;
	unsigned long bs;
	int fd, write, sep = 0;
	void *buf;

	if (argc != 6 || (strcmp(argv[1], "read") && strcmp(argv[1], "write"))) {
		fprintf(stderr, "usage: %s read|write DEVICE BLOCK_SIZE FIRST COUNT\n", argv[0]);
		return 2;
	}
	write = !strcmp(argv[1], "write");
	bs = strtoul(argv[3], NULL, 0);
	first = strtoull(argv[4], NULL, 0);
	count = strtoull(argv[5], NULL, 0);
	if (!bs || posix_memalign(&buf, 4096, bs)) {
		fprintf(stderr, "bad block size %s\n", argv[3]);
		return 2;
	}
	fd = open(argv[2], (write ? O_WRONLY : O_RDONLY) | O_DIRECT);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	for (lba = first; lba < first + count; lba++) {
		ssize_t n;

		if (write) {
			memset(buf, (int)(lba & 0xff) + 1, bs);
			n = pwrite(fd, buf, bs, lba * bs);
		} else {
			n = pread(fd, buf, bs, lba * bs);
		}
		if (n == (ssize_t)bs)
			continue;
		if (n < 0 && errno == EIO) {
			printf("%s%llu", sep++ ? " " : "", lba);
			continue;
		}
		fprintf(stderr, "%s of block %llu: %s\n", argv[1], lba,
			n < 0 ? strerror(errno) : "short transfer");
		return 2;
	}
	printf("\n");
	close(fd);
	return 0;
}
