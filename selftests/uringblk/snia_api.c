// SPDX-License-Identifier: GPL-2.0
/*
 * The SNIA Computational Storage API of liburingblk (uringblk_cs.h) on a
 * real drive: the standard flow - find the CSx, open it, query its
 * properties, allocate device memory, load LBAs into it
 * (csQueueStorageRequest, MEM_COPY), look a function up by name, run it
 * over the memory (csQueueComputeRequest, EXECUTE) synchronously, with a
 * callback and with an event, download an eBPF object (csDownload, from a
 * file and from a buffer) - and every answer checked: against the same
 * computation in C, against EXEC of the same program over the same LBAs,
 * and against what the bytes in SLM are (read back with
 * csQueueCopyMemRequest).  Also the refusals with their CS_STATUS, SLM
 * exhaustion and reuse, and a batch (load then compute).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "prog_test.h"
#include <liburingblk.h>
#include <uringblk_cs.h>
#include "../../bpf/count_pattern.h"

#define SLM_MB		8
#define PARAMS		"capacity_mb=64 slm_size_mb=8"
#define BS		512ULL
#define DATA_LEN	(2 * UBT_MIB)
#define PAT		"Alpha"

/* the pattern as count_pattern.bpf.c wants it: bytes, bytes, length */
static void pattern_args(CsComputeRequest *r, CS_MEM_HANDLE mem)
{
	__u64 w[2] = { 0, 0 };

	memcpy(w, PAT, strlen(PAT));
	r->NumArgs = 4;
	csHelperSetComputeArg(&r->Args[0], CS_AFDM_TYPE, mem, 0UL);
	csHelperSetComputeArg(&r->Args[1], CS_64BIT_VALUE_TYPE, w[0]);
	csHelperSetComputeArg(&r->Args[2], CS_64BIT_VALUE_TYPE, w[1]);
	csHelperSetComputeArg(&r->Args[3], CS_32BIT_VALUE_TYPE,
			      (unsigned int)strlen(PAT));
}

/* a callback's completion, for the test to wait on */
struct done {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int calls;
	CS_STATUS status;
	void *ctx;
};

static void on_done(void *ctx, CS_STATUS status)
{
	struct done *d = ctx;

	pthread_mutex_lock(&d->lock);
	d->calls++;
	d->status = status;
	d->ctx = ctx;
	pthread_cond_broadcast(&d->cond);
	pthread_mutex_unlock(&d->lock);
}

static int wait_done(struct done *d, int calls)
{
	struct timespec ts;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 30;
	pthread_mutex_lock(&d->lock);
	while (d->calls < calls && !ret)
		ret = pthread_cond_timedwait(&d->cond, &d->lock, &ts);
	pthread_mutex_unlock(&d->lock);
	return ret;
}

FIXTURE(snia) {
	struct io_uring ring;
	int cfd;
	uint8_t *data;
	uint64_t ref;		/* "Alpha" in data[0, DATA_LEN) */
	struct uringblk_identify id;
	CS_DEV_HANDLE dev;
	CS_CSE_HANDLE cse;
	char obj[512];
};

FIXTURE_SETUP(snia)
{
	char name[32];
	unsigned int len = sizeof(name);
	uint64_t off;
	int bfd;

	UBT_SETUP_MODULE(ubt_module_reload, PARAMS);
	self->cfd = ubt_open_cdev(0, O_RDWR);
	ASSERT_LE(0, self->cfd);
	ASSERT_EQ(0, ubt_ring_init(&self->ring, 0));
	ASSERT_EQ(sizeof(self->id), ubt_identify(&self->ring, self->cfd, &self->id));
	if (!(self->id.features & URINGBLK_F_SLM))
		UBT_SETUP_SKIP("the drive has no URINGBLK_F_SLM");
	ASSERT_EQ(BS, self->id.logical_block_size);

	self->data = ubt_alloc(DATA_LEN);
	ASSERT_NE(NULL, self->data);
	ubp_random(self->data, DATA_LEN, 7);
	for (off = 3; off + 5 < DATA_LEN; off += 4099)
		memcpy(self->data + off, PAT, 5);
	memcpy(self->data + DATA_LEN - 5, PAT, 5);
	self->ref = ubp_ref_count(self->data, DATA_LEN, PAT, 5);
	bfd = ubt_open_blk(0, O_RDWR | O_DIRECT);
	ASSERT_LE(0, bfd);
	ASSERT_EQ(DATA_LEN, ubt_pwrite_full(bfd, self->data, DATA_LEN, 0));
	close(bfd);
	ubp_obj_path("count_pattern", self->obj, sizeof(self->obj));

	/* discovery: a node, a file system path would name its disk too */
	ASSERT_EQ(CS_SUCCESS, csGetCSxFromPath("/dev/uringblk0", &len, name));
	ASSERT_STREQ("uringblk0", name);
	ASSERT_EQ(CS_SUCCESS, csOpenCSx(name, self, &self->dev));
	len = sizeof(name);
	ASSERT_EQ(CS_SUCCESS, csGetCSEFromCSx(self->dev, &len, name));
	ASSERT_STREQ("uringblk0.cse0", name);
	ASSERT_EQ(CS_SUCCESS, csOpenCSE(name, NULL, &self->cse));
}

FIXTURE_TEARDOWN(snia)
{
	if (self->cse)
		EXPECT_EQ(CS_SUCCESS, csCloseCSE(self->cse));
	if (self->dev)
		EXPECT_EQ(CS_SUCCESS, csCloseCSx(self->dev));
	io_uring_queue_exit(&self->ring);
	close(self->cfd);
	if (self->data)
		munmap(self->data, DATA_LEN);
}

/* The id of the program in slot @pind, from PROG_LIST, or 0. */
static uint32_t id_of_slot(struct io_uring *ring, int fd, uint32_t pind)
{
	struct uringblk_prog_info info[URINGBLK_MAX_PROGS];
	int n = ubp_list(ring, fd, 0, info, URINGBLK_MAX_PROGS);

	for (int i = 0; i < n; i++)
		if (info[i].pind == pind)
			return info[i].id;
	return 0;
}

TEST_F(snia, standard_flow)
{
	CsComputeRequest *req = calloc(1, CS_COMPUTE_REQUEST_SIZE(4));
	CsDownloadInfo dl = { .Type = CS_BPF_PROGRAM,
			      .SubType = CS_BPF_SUBTYPE_PATH };
	struct uringblk_exec_args ea = { 0 };
	struct uringblk_exec_result er;
	struct done done = { .lock = PTHREAD_MUTEX_INITIALIZER,
			     .cond = PTHREAD_COND_INITIALIZER };
	CsStorageRequest sr = { 0 };
	CsCopyMemRequest cr = { 0 };
	CS_FUNCTION_ID fid, dd_fid;
	struct uringblk_dev *udev;
	CSxProperties props;
	CsStatsInfo stats;
	CS_EVT_HANDLE evt;
	CS_MEM_HANDLE mem;
	CS_MEM_PTR va = (void *)1;
	uint8_t *back;
	void *ctx_out;
	__u64 cv;
	int len;
	CS_STATUS st;

	ASSERT_NE(NULL, req);
	/* properties: too short a buffer says how long it must be */
	len = 4;
	ASSERT_EQ(CS_INVALID_LENGTH, csQueryDeviceProperties(self->dev, &len, &props));
	ASSERT_EQ(sizeof(props), len);
	ASSERT_EQ(CS_SUCCESS, csQueryDeviceProperties(self->dev, &len, &props));
	EXPECT_EQ(SLM_MB, props.FDMinMB);
	EXPECT_EQ(1, props.NumCSEs);
	EXPECT_EQ(0, (int)props.Flags.FDMIsHostVisible);
	EXPECT_EQ(self->id.nr_dd_progs, props.CSE[0].NumBuiltinFunctions);
	EXPECT_STREQ("uringblk0.cse0", props.CSE[0].UniqueName);

	/* memory: no host mapping */
	ASSERT_EQ(CS_SUCCESS, csAllocMem(self->dev, DATA_LEN, 0, &mem, &va));
	EXPECT_EQ(NULL, va);

	/* storage LBAs -> SLM, in max_mem_xfer pieces */
	sr.Mode = CS_STORAGE_BLOCK_IO;
	sr.DevHandle = self->dev;
	sr.u.BlockIo.Type = CS_STORAGE_LOAD_TYPE;
	sr.u.BlockIo.StartLba = 0;
	sr.u.BlockIo.NumBlocks = DATA_LEN / BS;
	sr.u.BlockIo.DevMem.MemHandle = mem;
	ASSERT_EQ(CS_SUCCESS, csQueueStorageRequest(&sr, NULL, NULL, NULL, &cv));
	EXPECT_EQ(DATA_LEN, cv);

	/* what SLM holds now is the drive's data */
	back = ubt_alloc(DATA_LEN);
	ASSERT_NE(NULL, back);
	cr.Type = CS_COPY_FROM_DEVICE;
	cr.HostVAddress = back;
	cr.DevMem.MemHandle = mem;
	cr.Bytes = DATA_LEN;
	ASSERT_EQ(CS_SUCCESS, csQueueCopyMemRequest(&cr, NULL, NULL, NULL, &cv));
	EXPECT_EQ(DATA_LEN, cv);
	EXPECT_EQ(0, memcmp(back, self->data, DATA_LEN));

	/* 2 MiB moved inside the drive, 2 MiB crossed the bus (a fresh drive) */
	ASSERT_EQ(CS_SUCCESS, csQueryDeviceStatistics(self->dev, CS_STAT_CSx_MEM_USAGE,
						      NULL, &stats));
	EXPECT_EQ(DATA_LEN, stats.MemoryDetails.TotalAllocatedFDM);
	EXPECT_EQ(SLM_MB * UBT_MIB - DATA_LEN,
		  stats.MemoryDetails.LargestBlockAvailableFDM);
	EXPECT_EQ(1, stats.MemoryDetails.TotalAllocationsFDM);
	EXPECT_EQ(DATA_LEN >> 20, stats.MemoryDetails.TotalStoragetoFDMinMB);
	EXPECT_EQ(DATA_LEN >> 20, stats.MemoryDetails.TotalFDMtoHostinMB);
	EXPECT_EQ(0, stats.MemoryDetails.TotalHosttoFDMinMB);
	EXPECT_EQ(CS_INVALID_ARG, csQueryDeviceStatistics(self->dev, CS_STAT_FUNCTION,
							  NULL, &stats));

	/* a device-defined count_pattern, if the drive ships one */
	st = csGetFunction(self->cse, "count_pattern", NULL, &dd_fid);
	if (self->id.nr_dd_progs && st == CS_SUCCESS) {
		EXPECT_LE(URINGBLK_DD_PIND_BASE, dd_fid);
		req->CSEHandle = self->cse;
		req->FunctionId = dd_fid;
		pattern_args(req, mem);
		cv = 0;
		EXPECT_EQ(CS_SUCCESS, csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
		EXPECT_EQ(self->ref, cv);
	} else {
		EXPECT_EQ(CS_INVALID_FUNCTION_NAME, st);
		TH_LOG("no device-defined count_pattern: downloaded one only");
	}

	/* download the eBPF twin into slot 5 and look it up by name */
	dl.Index = 5;
	dl.DataBuffer = self->obj;
	dl.Length = strlen(self->obj) + 1;
	ASSERT_EQ(CS_SUCCESS, csDownload(self->dev, &dl));
	ASSERT_EQ(CS_SUCCESS, csGetFunction(self->cse, "count_pattern", NULL, &fid));
	EXPECT_EQ(5, fid);	/* a download before a device-defined twin */

	/* synchronous */
	req->CSEHandle = self->cse;
	req->FunctionId = fid;
	pattern_args(req, mem);
	cv = 0;
	ASSERT_EQ(CS_SUCCESS, csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
	EXPECT_EQ(self->ref, cv);

	/* with a callback: queued, completed on the library's thread */
	cv = 0;
	ASSERT_EQ(CS_QUEUED, csQueueComputeRequest(req, &done, on_done, NULL, &cv));
	ASSERT_EQ(0, wait_done(&done, 1));
	EXPECT_EQ(CS_SUCCESS, done.status);
	EXPECT_EQ(&done, done.ctx);
	EXPECT_EQ(self->ref, cv);

	/* with an event, polled */
	ASSERT_EQ(CS_SUCCESS, csCreateEvent(&evt));
	EXPECT_EQ(CS_NOT_DONE, csPollEvent(evt, NULL));
	cv = 0;
	ASSERT_EQ(CS_QUEUED, csQueueComputeRequest(req, (void *)0x1234, NULL, evt, &cv));
	for (int i = 0; i < 30000; i++) {
		st = csPollEvent(evt, &ctx_out);
		if (st != CS_NOT_DONE)
			break;
		usleep(1000);
	}
	EXPECT_EQ(CS_SUCCESS, st);
	EXPECT_EQ((void *)0x1234, ctx_out);
	EXPECT_EQ(self->ref, cv);
	EXPECT_EQ(CS_NOT_DONE, csPollEvent(evt, NULL));
	EXPECT_EQ(CS_SUCCESS, csDeleteEvent(evt));

	/* three runs of the function so far */
	ASSERT_EQ(CS_SUCCESS, csQueryDeviceStatistics(self->dev, CS_STAT_FUNCTION,
						      &fid, &stats));
	EXPECT_EQ(3, stats.FunctionDetails.TotalExecutions);

	/* EXEC of the same program over the same LBAs: the shortcut agrees */
	ASSERT_EQ(0, uringblk_open("/dev/uringblk0", &udev));
	ea.prog_id = id_of_slot(&self->ring, self->cfd, fid);
	ASSERT_NE(0, ea.prog_id);
	ea.lba_start = 0;
	ea.lba_count = DATA_LEN / BS;
	ASSERT_EQ(0, count_pattern_args(ea.args, PAT, 5));
	ASSERT_EQ(0, uringblk_exec(udev, &ea, &er, NULL, 0));
	EXPECT_EQ(self->ref, er.r0);
	uringblk_close(udev);

	/* the same object from a buffer, into the lowest free slot */
	{
		FILE *f = fopen(self->obj, "rb");
		static char buf[1 << 20];
		CsFunctionInfo fi[URINGBLK_MAX_PROGS + 16];
		int n = 0, size = sizeof(fi), found = 0;

		ASSERT_NE(NULL, f);
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		ASSERT_LT(0, n);
		dl.SubType = CS_BPF_SUBTYPE_OBJECT;
		dl.Index = 0;
		dl.DataBuffer = buf;
		dl.Length = n;
		ASSERT_EQ(CS_SUCCESS, csDownload(self->dev, &dl));
		ASSERT_EQ(CS_SUCCESS, csQueryDeviceForComputeList(self->dev, &size, fi));
		for (int i = 0; i < size / (int)sizeof(fi[0]); i++) {
			if (!strcmp(fi[i].Name, "count_pattern") &&
			    fi[i].FunctionId != 5 &&
			    fi[i].FunctionId < URINGBLK_DD_PIND_BASE) {
				req->FunctionId = fi[i].FunctionId;
				found++;
			}
		}
		ASSERT_EQ(1, found);
		cv = 0;
		EXPECT_EQ(CS_SUCCESS, csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
		EXPECT_EQ(self->ref, cv);
		dl.Unload = 1;
		dl.Index = req->FunctionId;
		EXPECT_EQ(CS_SUCCESS, csDownload(self->dev, &dl));
		/* gone: running it is an unknown function */
		EXPECT_EQ(CS_UNKNOWN_COMPUTE_FUNCTION,
			  csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
	}

	/* not an object: refused, and the reason is kept */
	{
		char junk[64] = "not an ELF object", log[256] = "x";

		dl.Unload = 0;
		dl.SubType = CS_BPF_SUBTYPE_OBJECT;
		dl.Index = 0;
		dl.DataBuffer = junk;
		dl.Length = sizeof(junk);
		EXPECT_EQ(CS_LOAD_ERROR, csDownload(self->dev, &dl));
		EXPECT_EQ(CS_SUCCESS, uringblk_cs_download_log(self->dev, log, sizeof(log)));
		EXPECT_NE(0, log[0]);
		TH_LOG("download refused: %s", log);
		dl.Type = CS_FPGA_BITSTREAM;
		EXPECT_EQ(CS_UNSUPPORTED, csDownload(self->dev, &dl));
		dl.Type = CS_BPF_PROGRAM;
	}

	/* unload slot 5; free; close happens in the teardown */
	dl.Unload = 1;
	dl.Index = 5;
	EXPECT_EQ(CS_SUCCESS, csDownload(self->dev, &dl));
	EXPECT_EQ(CS_INVALID_ID, csDownload(self->dev, &dl));	/* nothing there */
	EXPECT_EQ(CS_INVALID_FUNCTION_NAME,
		  csGetFunction(self->cse, "no_such_function", NULL, &fid));
	EXPECT_EQ(CS_SUCCESS, csFreeMem(mem));
	EXPECT_EQ(CS_INVALID_HANDLE, csFreeMem(NULL));
	munmap(back, DATA_LEN);
	free(req);
}

/* Memory: exhaustion, reuse after free, bounds, and copies both ways. */
/*
 * The CS_STATUS is the drive's status, not a guess from the errno: an
 * unload without CAP_SYS_ADMIN fails with -EPERM, which also stands for
 * Program Index Not Downloadable (CS_INVALID_ID); the drive says Access
 * Denied (2h/86h), which is CS_NO_PERMISSIONS.
 */
TEST_F(snia, download_status)
{
	CsDownloadInfo dl = { .Type = CS_BPF_PROGRAM,
			      .SubType = CS_BPF_SUBTYPE_PATH };

	dl.Index = 6;
	dl.DataBuffer = self->obj;
	ASSERT_EQ(CS_SUCCESS, csDownload(self->dev, &dl));
	ASSERT_EQ(0, ubp_drop_cap_sys_admin());
	dl.Unload = 1;
	EXPECT_EQ(CS_NO_PERMISSIONS, csDownload(self->dev, &dl));
}

TEST_F(snia, memory)
{
	uint8_t in[6000], out[6000];
	CsCopyMemRequest cr = { 0 };
	CsStorageRequest sr = { 0 };
	CS_MEM_HANDLE a, b, c;
	__u64 cv;

	EXPECT_EQ(CS_INVALID_OPTION, csAllocMem(self->dev, 4096, 1, &a, NULL));
	EXPECT_EQ(CS_INVALID_ARG, csAllocMem(self->dev, 0, 0, &a, NULL));
	EXPECT_EQ(CS_NOT_ENOUGH_MEMORY,
		  csAllocMem(self->dev, SLM_MB * UBT_MIB + 1, 0, &a, NULL));
	/* all of SLM in two pieces, then nothing is left */
	ASSERT_EQ(CS_SUCCESS, csAllocMem(self->dev, SLM_MB * UBT_MIB / 2, 0, &a, NULL));
	ASSERT_EQ(CS_SUCCESS, csAllocMem(self->dev, SLM_MB * UBT_MIB / 2, 0, &b, NULL));
	EXPECT_EQ(CS_NOT_ENOUGH_MEMORY, csAllocMem(self->dev, 1, 0, &c, NULL));
	ASSERT_EQ(CS_SUCCESS, csFreeMem(a));
	ASSERT_EQ(CS_SUCCESS, csAllocMem(self->dev, 6000, 0, &c, NULL));

	/* host -> SLM -> host, at an offset */
	for (unsigned int i = 0; i < sizeof(in); i++)
		in[i] = i * 7 + 1;
	cr.Type = CS_COPY_TO_DEVICE;
	cr.HostVAddress = in;
	cr.DevMem.MemHandle = c;
	cr.DevMem.ByteOffset = 0;
	cr.Bytes = sizeof(in);
	ASSERT_EQ(CS_SUCCESS, csQueueCopyMemRequest(&cr, NULL, NULL, NULL, &cv));
	cr.Type = CS_COPY_FROM_DEVICE;
	cr.HostVAddress = out;
	cr.DevMem.ByteOffset = 100;
	cr.Bytes = sizeof(in) - 100;
	ASSERT_EQ(CS_SUCCESS, csQueueCopyMemRequest(&cr, NULL, NULL, NULL, &cv));
	EXPECT_EQ(0, memcmp(out, in + 100, sizeof(in) - 100));
	/* past the region's end, and a freed handle */
	cr.Bytes = sizeof(in) - 99;
	EXPECT_EQ(CS_INVALID_LENGTH, csQueueCopyMemRequest(&cr, NULL, NULL, NULL, &cv));
	cr.DevMem.MemHandle = a;
	EXPECT_EQ(CS_INVALID_HANDLE, csQueueCopyMemRequest(&cr, NULL, NULL, NULL, &cv));

	/* storage: STORE is not a command of the drive; bounds */
	sr.Mode = CS_STORAGE_BLOCK_IO;
	sr.DevHandle = self->dev;
	sr.u.BlockIo.Type = CS_STORAGE_STORE_TYPE;
	sr.u.BlockIo.NumBlocks = 1;
	sr.u.BlockIo.DevMem.MemHandle = c;
	EXPECT_EQ(CS_UNSUPPORTED, csQueueStorageRequest(&sr, NULL, NULL, NULL, &cv));
	sr.u.BlockIo.Type = CS_STORAGE_LOAD_TYPE;
	sr.u.BlockIo.NumBlocks = 12;	/* 6144 > 6000 */
	EXPECT_EQ(CS_INVALID_LENGTH, csQueueStorageRequest(&sr, NULL, NULL, NULL, &cv));
	sr.u.BlockIo.NumBlocks = 2;
	sr.u.BlockIo.StartLba = self->id.capacity / BS - 1;	/* past the end */
	EXPECT_EQ(CS_INVALID_ARG, csQueueStorageRequest(&sr, NULL, NULL, NULL, &cv));
	sr.Mode = CS_STORAGE_FILE_IO;
	EXPECT_EQ(CS_UNSUPPORTED, csQueueStorageRequest(&sr, NULL, NULL, NULL, &cv));
	sr.Mode = CS_STORAGE_BLOCK_IO;
	sr.DevHandle = NULL;
	EXPECT_EQ(CS_INVALID_HANDLE, csQueueStorageRequest(&sr, NULL, NULL, NULL, &cv));

	EXPECT_EQ(CS_SUCCESS, csFreeMem(b));
	EXPECT_EQ(CS_SUCCESS, csFreeMem(c));
	/* everything back: all of SLM in one piece again */
	ASSERT_EQ(CS_SUCCESS, csAllocMem(self->dev, SLM_MB * UBT_MIB, 0, &a, NULL));
	EXPECT_EQ(CS_SUCCESS, csFreeMem(a));
}

/* Compute refusals, and a batch: load the LBAs, then count. */
TEST_F(snia, compute_and_batch)
{
	CsComputeRequest *req = calloc(1, CS_COMPUTE_REQUEST_SIZE(4));
	CsDownloadInfo dl = { .Type = CS_BPF_PROGRAM,
			      .SubType = CS_BPF_SUBTYPE_PATH };
	CsBatchRequest *b1 = calloc(1, sizeof(*b1)),
		       *b2 = calloc(1, sizeof(*b2) + 4 * sizeof(CsComputeArg));
	struct done done = { .lock = PTHREAD_MUTEX_INITIALIZER,
			     .cond = PTHREAD_COND_INITIALIZER };
	CS_BATCH_INDEX i1, i2;
	CS_BATCH_HANDLE batch;
	CS_FUNCTION_ID fid;
	CS_MEM_HANDLE mem;
	__u64 cv;

	ASSERT_NE(NULL, req);
	ASSERT_EQ(CS_SUCCESS, csAllocMem(self->dev, DATA_LEN, 0, &mem, NULL));
	dl.DataBuffer = self->obj;
	dl.Length = strlen(self->obj) + 1;
	ASSERT_EQ(CS_SUCCESS, csDownload(self->dev, &dl));
	ASSERT_EQ(CS_SUCCESS, csGetFunction(self->cse, "count_pattern", NULL, &fid));

	req->CSEHandle = self->cse;
	req->FunctionId = fid;
	pattern_args(req, mem);
	/* an empty slot, no slot at all, a bad argument, no memory */
	req->FunctionId = URINGBLK_MAX_PROGS - 1;
	EXPECT_EQ(CS_UNKNOWN_COMPUTE_FUNCTION,
		  csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
	req->FunctionId = URINGBLK_MAX_PROGS + 1;
	EXPECT_EQ(CS_INVALID_ID, csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
	req->FunctionId = fid;
	csHelperSetComputeArg(&req->Args[3], CS_32BIT_VALUE_TYPE, 0U);	/* length 0 */
	EXPECT_EQ(CS_ERROR_IN_EXECUTION,
		  csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
	pattern_args(req, mem);
	req->Args[0].u.DevMem.ByteOffset = 1;
	EXPECT_EQ(CS_INVALID_ARG, csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
	req->Args[0].u.DevMem.ByteOffset = 0;
	req->CSEHandle = NULL;
	EXPECT_EQ(CS_INVALID_HANDLE, csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
	req->CSEHandle = self->cse;
	/* deactivated: Program Not Activated; csGetFunction() activates it */
	ASSERT_EQ(0, ubp_activate(&self->ring, self->cfd, fid, URINGBLK_PROG_ACT_DEACTIVATE));
	EXPECT_EQ(CS_INVALID_FUNCTION, csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
	ASSERT_EQ(CS_SUCCESS, csGetFunction(self->cse, "count_pattern", NULL, &fid));

	/* a batch: storage load, then compute; one callback at the end */
	b1->ReqType = CS_STORAGE_IO;
	b1->u.StorageIo.Mode = CS_STORAGE_BLOCK_IO;
	b1->u.StorageIo.DevHandle = self->dev;
	b1->u.StorageIo.u.BlockIo.Type = CS_STORAGE_LOAD_TYPE;
	b1->u.StorageIo.u.BlockIo.NumBlocks = DATA_LEN / BS;
	b1->u.StorageIo.u.BlockIo.DevMem.MemHandle = mem;
	b2->ReqType = CS_QUEUE_COMPUTE;
	b2->u.Compute.CSEHandle = self->cse;
	b2->u.Compute.FunctionId = fid;
	pattern_args(&b2->u.Compute, mem);
	ASSERT_EQ(CS_SUCCESS, csAllocBatchRequest(CS_BATCH_SERIAL, 2, &batch));
	/* added in reverse: the compute, then the load in front of it */
	ASSERT_EQ(CS_SUCCESS, csAddBatchEntry(batch, b2, 0, 0, &i2));
	ASSERT_EQ(CS_SUCCESS, csAddBatchEntry(batch, b1, i2, 0, &i1));
	EXPECT_EQ(CS_INVALID_ARG, csAddBatchEntry(batch, b1, 99, 0, &i1));
	EXPECT_EQ(CS_SUCCESS, csHelperResizeBatchRequest(batch, 4));
	EXPECT_EQ(CS_SUCCESS, csHelperReconfigureBatchEntry(batch, i1, b1));
	EXPECT_EQ(CS_INVALID_ARG, csHelperReconfigureBatchEntry(batch, 99, b1));
	cv = 0;
	ASSERT_EQ(CS_QUEUED, csQueueBatchRequest(batch, &done, on_done, NULL, &cv));
	ASSERT_EQ(0, wait_done(&done, 1));
	EXPECT_EQ(CS_SUCCESS, done.status);
	EXPECT_EQ(self->ref, cv);
	/* and synchronously */
	cv = 0;
	EXPECT_EQ(CS_SUCCESS, csQueueBatchRequest(batch, NULL, NULL, NULL, &cv));
	EXPECT_EQ(self->ref, cv);
	EXPECT_EQ(CS_SUCCESS, csFreeBatchRequest(batch));
	batch = NULL;

	/* a three-step chain: load, count, read the first 4 KiB back */
	{
		static uint8_t host[4096], ab[4096];
		CsBatchRequest b3 = { .ReqType = CS_COPY_AFDM }, bad = b3, wr = b3;
		CS_BATCH_INDEX i3;

		b3.u.CopyMem.Type = CS_COPY_FROM_DEVICE;
		b3.u.CopyMem.HostVAddress = host;
		b3.u.CopyMem.DevMem.MemHandle = mem;
		b3.u.CopyMem.Bytes = sizeof(host);
		ASSERT_EQ(CS_SUCCESS, csAllocBatchRequest(CS_BATCH_SERIAL, 3, &batch));
		ASSERT_EQ(CS_SUCCESS, csAddBatchEntry(batch, b1, 0, 0, &i1));
		ASSERT_EQ(CS_SUCCESS, csAddBatchEntry(batch, b2, 0, i1, &i2));
		ASSERT_EQ(CS_SUCCESS, csAddBatchEntry(batch, &b3, 0, i2, &i3));
		cv = 0;
		EXPECT_EQ(CS_SUCCESS, csQueueBatchRequest(batch, NULL, NULL, NULL, &cv));
		EXPECT_EQ(sizeof(host), cv);	/* the last entry's bytes */
		EXPECT_EQ(0, memcmp(host, self->data, sizeof(host)));
		EXPECT_EQ(CS_SUCCESS, csFreeBatchRequest(batch));

		/*
		 * A load past the drive's end, then a write of 0xab: linked,
		 * the write is cancelled; in parallel it happens.
		 */
		bad.ReqType = CS_STORAGE_IO;
		bad.u.StorageIo = b1->u.StorageIo;
		bad.u.StorageIo.u.BlockIo.StartLba = self->id.capacity / BS - 1;
		bad.u.StorageIo.u.BlockIo.NumBlocks = 2;
		memset(ab, 0xab, sizeof(ab));
		wr.u.CopyMem = b3.u.CopyMem;
		wr.u.CopyMem.Type = CS_COPY_TO_DEVICE;
		wr.u.CopyMem.HostVAddress = ab;
		for (int mode = CS_BATCH_SERIAL; mode <= CS_BATCH_PARALLEL; mode++) {
			ASSERT_EQ(CS_SUCCESS, csAllocBatchRequest(mode, 2, &batch));
			ASSERT_EQ(CS_SUCCESS, csAddBatchEntry(batch, &bad, 0, 0, &i1));
			ASSERT_EQ(CS_SUCCESS, csAddBatchEntry(batch, &wr, 0, i1, &i2));
			EXPECT_EQ(CS_INVALID_ARG,
				  csQueueBatchRequest(batch, NULL, NULL, NULL, &cv));
			EXPECT_EQ(CS_SUCCESS, csFreeBatchRequest(batch));
			EXPECT_EQ(CS_SUCCESS,
				  csQueueCopyMemRequest(&b3.u.CopyMem, NULL, NULL, NULL, &cv));
			if (mode == CS_BATCH_SERIAL) {
				EXPECT_EQ(0, memcmp(host, self->data, sizeof(host)));
			} else {
				EXPECT_EQ(0, memcmp(host, ab, sizeof(host)));
			}
		}
	}

	/* a program with global data ("Alpha" is a string literal) */
	{
		char obj[512];
		CS_FUNCTION_ID wid;

		/* the parallel batch above wrote 0xab over the first 4 KiB */
		ASSERT_EQ(CS_SUCCESS, csQueueStorageRequest(&b1->u.StorageIo, NULL,
							    NULL, NULL, &cv));
		ubp_obj_path("count_word", obj, sizeof(obj));
		dl.DataBuffer = obj;
		dl.Length = strlen(obj) + 1;
		ASSERT_EQ(CS_SUCCESS, csDownload(self->dev, &dl));
		ASSERT_EQ(CS_SUCCESS, csGetFunction(self->cse, "count_word", NULL, &wid));
		req->FunctionId = wid;
		req->NumArgs = 2;
		csHelperSetComputeArg(&req->Args[0], CS_AFDM_TYPE, mem, 0UL);
		csHelperSetComputeArg(&req->Args[1], CS_64BIT_VALUE_TYPE, (__u64)0);
		cv = 0;
		EXPECT_EQ(CS_SUCCESS, csQueueComputeRequest(req, NULL, NULL, NULL, &cv));
		EXPECT_EQ(self->ref, cv);
		dl.Unload = 1;
		dl.Index = wid;
		EXPECT_EQ(CS_SUCCESS, csDownload(self->dev, &dl));
	}

	dl.Unload = 1;
	dl.Index = fid;
	EXPECT_EQ(CS_SUCCESS, csDownload(self->dev, &dl));
	EXPECT_EQ(CS_SUCCESS, csFreeMem(mem));
	free(b1);
	free(b2);
	free(req);
}

TEST_HARNESS_MAIN
