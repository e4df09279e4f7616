// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * SNIA API: device memory (AFDM in SLM), storage requests (LBAs -> SLM),
 * copies between host and SLM, functions (programs in slots), compute
 * requests (EXECUTE), downloads (PROG_LOAD + activation) and batches.
 *
 * Each operation is one synchronous function, run by the caller's thread
 * or by the drive's worker (cs_dev.c) for a queued request.  Commands to a
 * drive go through its one command handle under d->lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cs_private.h"

/* Under d->lock: give back a region's cached range set. */
static int mem_drop_set(struct cs_drive *d, struct cs_mem *m)
{
	int ret = 0;

	if (m->rsid) {
		ret = uringblk_range_set_delete(d->dev, m->rsid);
		if (!ret)
			m->rsid = 0;
	}
	return ret;
}

CS_STATUS csAllocMem(CS_DEV_HANDLE DevHandle, int Bytes, unsigned int MemFlags,
		     CS_MEM_HANDLE *MemHandle, CS_MEM_PTR *VAddressPtr)
{
	struct cs_drive *d = cs_csx_drive(DevHandle);
	struct cs_mem *m;
	void *zero = NULL;
	CS_STATUS st;
	int ret;

	if (!d)
		return CS_INVALID_HANDLE;
	if (Bytes <= 0 || !MemHandle)
		return CS_INVALID_ARG;
	if (MemFlags)		/* "reserved, shall be zero" */
		return CS_INVALID_OPTION;
	m = calloc(1, sizeof(*m));
	if (!m)
		return CS_OUT_OF_RESOURCES;
	m->drive = d;
	m->len = Bytes;

	cs_drive_lock(d);
	ret = cs_alloc_get(&d->alloc, m->len, &m->off, &m->alloc_len);
	if (ret) {
		st = ret == -ENOSPC ? CS_NOT_ENOUGH_MEMORY : CS_OUT_OF_RESOURCES;
		goto err_unlock;
	}
	/*
	 * A program sees the whole region, granularity padding included:
	 * zero the padding, so that what an earlier user left there is not
	 * read as data.
	 */
	if (m->alloc_len > m->len) {
		zero = calloc(1, m->alloc_len - m->len);
		ret = zero ? uringblk_mem_write(d->dev, m->off + m->len, zero,
						m->alloc_len - m->len) : -ENOMEM;
		free(zero);
		if (ret < 0) {
			st = cs_status_of(d->dev, CS_OP_MEM, ret);
			cs_alloc_put(&d->alloc, m->off, m->alloc_len);
			goto err_unlock;
		}
	}
	m->magic = CS_MEM_MAGIC;
	m->next = d->mems;
	d->mems = m;
	d->nr_allocs++;
	pthread_mutex_unlock(&d->lock);
	*MemHandle = m;
	/* SLM has no host mapping: MEM_READ/MEM_WRITE reach it */
	if (VAddressPtr)
		*VAddressPtr = NULL;
	return CS_SUCCESS;

err_unlock:
	pthread_mutex_unlock(&d->lock);
	free(m);
	return st;
}

CS_STATUS csFreeMem(CS_MEM_HANDLE MemHandle)
{
	struct cs_mem **pp, *m = MemHandle;
	struct cs_drive *d;
	int ret;

	if (!m || m->magic != CS_MEM_MAGIC)
		return CS_INVALID_HANDLE;
	d = m->drive;
	cs_drive_lock(d);
	ret = mem_drop_set(d, m);
	if (ret) {
		/* an EXECUTE of another user of the set runs: keep it all */
		CS_STATUS st = cs_status_of(d->dev, CS_OP_MEM, ret);

		pthread_mutex_unlock(&d->lock);
		return st;
	}
	for (pp = &d->mems; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	cs_alloc_put(&d->alloc, m->off, m->alloc_len);
	d->nr_frees++;
	m->magic = 0;
	pthread_mutex_unlock(&d->lock);
	free(m);
	return CS_SUCCESS;
}

/*
 * Under d->lock: where @bytes at @a start in SLM.  The region must be
 * this drive's and hold them (the bytes asked for at csAllocMem()).
 */
static CS_STATUS afdm_resolve(struct cs_drive *d, const CsDevAFDM *a,
			      __u64 bytes, __u64 *slm_off)
{
	const struct cs_mem *m = a->MemHandle;

	if (!m || m->magic != CS_MEM_MAGIC)
		return CS_INVALID_HANDLE;
	if (m->drive != d)
		return CS_UNKNOWN_MEMORY;
	if (a->ByteOffset > m->len || bytes > m->len - a->ByteOffset)
		return CS_INVALID_LENGTH;
	*slm_off = m->off + a->ByteOffset;
	return CS_SUCCESS;
}

CS_STATUS cs_storage_check(struct cs_drive *d, const CsStorageRequest *req,
			   __u64 *off, __u32 *per)
{
	const CsBlockIo *io = &req->u.BlockIo;
	__u32 lbs = d->id.logical_block_size;

	if (req->Mode == CS_STORAGE_FILE_IO)
		return CS_UNSUPPORTED;
	if (req->Mode != CS_STORAGE_BLOCK_IO)
		return CS_INVALID_ARG;
	/* SLM -> media: the drive has no such command (see README-cs.md) */
	if (io->Type == CS_STORAGE_STORE_TYPE)
		return CS_UNSUPPORTED;
	if (io->Type != CS_STORAGE_LOAD_TYPE || io->StorageIndex ||
	    io->NamespaceId > 1 || !io->NumBlocks || !lbs)
		return CS_INVALID_ARG;
	*per = d->id.max_mem_xfer / lbs;
	if (!*per)
		return CS_UNSUPPORTED;
	return afdm_resolve(d, &io->DevMem, (__u64)io->NumBlocks * lbs, off);
}

/* LOAD: LBAs -> SLM by MEM_COPY, in pieces of at most max_mem_xfer bytes */
static CS_STATUS run_storage(struct cs_drive *d, const CsStorageRequest *req,
			     __u64 *cv)
{
	const CsBlockIo *io = &req->u.BlockIo;
	__u32 lbs = d->id.logical_block_size, per;
	struct uringblk_copy_range r = { 0 };
	__u64 off, done = 0;
	CS_STATUS st;
	int ret = 0;

	cs_drive_lock(d);
	st = cs_storage_check(d, req, &off, &per);
	while (st == CS_SUCCESS && done < io->NumBlocks) {
		r.slba = io->StartLba + done;
		r.nlb = io->NumBlocks - done < per ? io->NumBlocks - done : per;
		ret = uringblk_mem_copy(d->dev, off + done * lbs, &r, 1);
		if (ret < 0)
			st = cs_status_of(d->dev, CS_OP_STORAGE, ret);
		else
			done += r.nlb;
	}
	pthread_mutex_unlock(&d->lock);
	*cv = done * lbs;
	return st;
}

CS_STATUS cs_copy_check(struct cs_drive *d, const CsCopyMemRequest *req,
			__u64 *off)
{
	if ((req->Type != CS_COPY_TO_DEVICE &&
	     req->Type != CS_COPY_FROM_DEVICE) || !req->HostVAddress ||
	    !req->Bytes)
		return CS_INVALID_ARG;
	if (!d->id.max_mem_xfer)
		return CS_UNSUPPORTED;
	return afdm_resolve(d, &req->DevMem, req->Bytes, off);
}

/* host <-> SLM by MEM_WRITE / MEM_READ, in pieces of max_mem_xfer bytes */
static CS_STATUS run_copy(struct cs_drive *d, const CsCopyMemRequest *req,
			  __u64 *cv)
{
	__u32 per = d->id.max_mem_xfer, n;
	char *host = req->HostVAddress;
	__u64 off, done = 0;
	CS_STATUS st;
	int ret;

	cs_drive_lock(d);
	st = cs_copy_check(d, req, &off);
	while (st == CS_SUCCESS && done < req->Bytes) {
		n = req->Bytes - done < per ? req->Bytes - done : per;
		if (req->Type == CS_COPY_TO_DEVICE)
			ret = uringblk_mem_write(d->dev, off + done, host + done, n);
		else
			ret = uringblk_mem_read(d->dev, off + done, host + done, n);
		if (ret < 0)
			st = cs_status_of(d->dev, CS_OP_MEM, ret);
		else
			done += n;
	}
	pthread_mutex_unlock(&d->lock);
	*cv = done;
	return st;
}

/*
 * EXECUTE's words for @req, over a set made of its AFDM arguments: the set
 * of a lone whole region is made once and kept with the region (deleted by
 * csFreeMem()); any other is made for the run (*@temp: delete it after).
 * Under d->lock.
 */
CS_STATUS cs_compute_prepare(struct cs_drive *d, const CsComputeRequest *req,
			     struct uringblk_execute_args *a, bool *temp)
{
	struct cs_marshal m;
	CS_STATUS st;
	int ret;

	*temp = false;
	memset(a, 0, sizeof(*a));
	st = cs_marshal_compute(req, d->id.slm_granularity, d, &m);
	if (st != CS_SUCCESS)
		return st;
	if (m.whole && m.whole->rsid) {
		a->rsid = m.whole->rsid;
	} else {
		ret = uringblk_range_set_create(d->dev, m.ranges, m.nr_ranges);
		if (ret < 0) {
			cs_marshal_free(&m);
			return cs_status_of(d->dev, CS_OP_MEM, ret);
		}
		a->rsid = ret;
		if (m.whole)
			m.whole->rsid = ret;
		else
			*temp = true;
	}
	a->pind = m.pind;
	a->budget = 0;		/* the drive's default: the API has no budget */
	a->cparam[0] = m.values[0];
	a->cparam[1] = m.values[1];
	a->arg2 = m.values[2];
	cs_marshal_free(&m);
	return CS_SUCCESS;
}

CS_STATUS cs_compute_status(int ret, __u16 sc, const struct uringblk_exec_result *res)
{
	if (!ret)
		return CS_SUCCESS;
	/* completed, but r0 does not fit cqe->res: the struct has it */
	if (ret == -EOVERFLOW && !res->error &&
	    res->abort_code == URINGBLK_PROG_OK)
		return CS_SUCCESS;
	/* it ran and was stopped: budget, bounds, bad argument... */
	if (res->abort_code != URINGBLK_PROG_OK)
		return CS_ERROR_IN_EXECUTION;
	return cs_status_from_drive(CS_OP_COMPUTE, ret, sc);
}

static CS_STATUS run_compute(struct cs_drive *d, const CsComputeRequest *req,
			     __u64 *cv)
{
	struct uringblk_execute_args a;
	struct uringblk_exec_result res = { 0 };
	CS_STATUS st;
	bool temp;

	cs_drive_lock(d);
	st = cs_compute_prepare(d, req, &a, &temp);
	if (st == CS_SUCCESS) {
		int ret = uringblk_execute(d->dev, &a, &res, NULL, 0);

		st = cs_compute_status(ret, cs_drive_status(d->dev, ret), &res);
		if (st == CS_SUCCESS)
			*cv = res.r0;
		if (temp)
			uringblk_range_set_delete(d->dev, a.rsid);
	}
	pthread_mutex_unlock(&d->lock);
	return st;
}

CS_STATUS cs_run(struct cs_drive *d, enum cs_req_kind kind, const void *req,
		 __u64 *cv)
{
	*cv = 0;
	switch (kind) {
	case CS_REQ_STORAGE:
		return run_storage(d, req, cv);
	case CS_REQ_COPY:
		return run_copy(d, req, cv);
	case CS_REQ_COMPUTE:
		return run_compute(d, req, cv);
	case CS_REQ_BATCH:
		return cs_run_batch(d, req, cv);
	}
	return CS_INVALID_ARG;
}

CS_STATUS cs_req_drive(enum cs_req_kind kind, const void *req,
		       struct cs_drive **d)
{
	const struct cs_mem *m;

	if (!req)
		return CS_INVALID_ARG;
	switch (kind) {
	case CS_REQ_STORAGE:
		*d = cs_csx_drive(((const CsStorageRequest *)req)->DevHandle);
		break;
	case CS_REQ_COPY:
		m = ((const CsCopyMemRequest *)req)->DevMem.MemHandle;
		*d = m && m->magic == CS_MEM_MAGIC ? m->drive : NULL;
		break;
	case CS_REQ_COMPUTE:
		*d = cs_cse_drive(((const CsComputeRequest *)req)->CSEHandle);
		break;
	case CS_REQ_BATCH:
		return cs_batch_drive(req, d);
	default:
		return CS_INVALID_ARG;
	}
	return *d ? CS_SUCCESS : CS_INVALID_HANDLE;
}

static CS_STATUS queue(enum cs_req_kind kind, const void *req, void *ctx,
		       csQueueCallbackFn cb, CS_EVT_HANDLE evt, __u64 *cv)
{
	struct cs_drive *d;
	CS_STATUS st;

	st = cs_req_drive(kind, req, &d);
	if (st != CS_SUCCESS)
		return st;
	return cs_submit(d, kind, req, ctx, cb, evt, cv);
}

CS_STATUS csQueueStorageRequest(CsStorageRequest *Req, void *Context,
				csQueueCallbackFn CallbackFn,
				CS_EVT_HANDLE EventHandle, __u64 *CompValue)
{
	return queue(CS_REQ_STORAGE, Req, Context, CallbackFn, EventHandle,
		     CompValue);
}

CS_STATUS csQueueCopyMemRequest(CsCopyMemRequest *CopyReq, void *Context,
				csQueueCallbackFn CallbackFn,
				CS_EVT_HANDLE EventHandle, __u64 *CompValue)
{
	return queue(CS_REQ_COPY, CopyReq, Context, CallbackFn, EventHandle,
		     CompValue);
}

CS_STATUS csQueueComputeRequest(CsComputeRequest *Req, void *Context,
				csQueueCallbackFn CallbackFn,
				CS_EVT_HANDLE EventHandle, __u64 *CompValue)
{
	return queue(CS_REQ_COMPUTE, Req, Context, CallbackFn, EventHandle,
		     CompValue);
}

CS_STATUS csGetFunction(CS_CSE_HANDLE CSEHandle, char *FunctionName,
			void *Context, CS_FUNCTION_ID *FunctionId)
{
	struct cs_drive *d = cs_cse_drive(CSEHandle);
	struct uringblk_prog_info info;
	CS_STATUS st = CS_SUCCESS;
	int ret;

	(void)Context;
	if (!d)
		return CS_INVALID_HANDLE;
	if (!FunctionName || !FunctionId)
		return CS_INVALID_ARG;
	if (!*FunctionName || strlen(FunctionName) > URINGBLK_PROG_NAME_LEN)
		return CS_INVALID_FUNCTION_NAME;
	cs_drive_lock(d);
	ret = uringblk_prog_find(d->dev, FunctionName, &info);
	if (ret == -ENOENT)
		st = CS_INVALID_FUNCTION_NAME;
	else if (ret < 0)
		st = cs_status_of(d->dev, CS_OP_COMPUTE, ret);
	/* a function is fetched "for scheduling": it must be active to run */
	else if (!(info.flags & URINGBLK_PROG_INFO_F_ACTIVE))
		st = cs_status_of(d->dev, CS_OP_COMPUTE,
				  uringblk_prog_activate(d->dev, info.pind, 1));
	pthread_mutex_unlock(&d->lock);
	if (st == CS_SUCCESS)
		*FunctionId = info.pind;
	return st;
}

static CS_STATUS download_unload(struct cs_drive *d, int index)
{
	struct uringblk_prog_info info;
	CS_STATUS st;
	int ret;

	if (index <= 0)
		return CS_INVALID_ID;
	cs_drive_lock(d);
	ret = cs_prog_in_slot(d->dev, index, 0, &info);
	if (!ret && (info.flags & URINGBLK_PROG_INFO_F_DEVICE))
		ret = -EPERM;	/* Program Index Not Downloadable */
	if (!ret && (info.flags & URINGBLK_PROG_INFO_F_ACTIVE))
		ret = uringblk_prog_activate(d->dev, index, 0);
	if (!ret)
		ret = uringblk_prog_unload(d->dev, info.id);
	st = cs_status_of(d->dev, CS_OP_DOWNLOAD, ret);
	pthread_mutex_unlock(&d->lock);
	return st;
}

/*
 * Load the object at @path into slot @index (0: the lowest free one) and
 * activate it: a download is meant to be run.  Under d->lock.
 */
static int load_and_activate(struct cs_drive *d, const char *path, int index)
{
	struct uringblk_prog_info info;
	int id, ret;

	id = cs_prog_load_slot(d->dev, path, index, d->log, sizeof(d->log));
	if (id < 0)
		return id;
	if (index) {
		ret = cs_prog_in_slot(d->dev, index, 0, &info);
	} else {
		/* the lowest free slot: find where it went by its id */
		struct uringblk_prog_info *p;
		int n = cs_prog_list(d->dev, &p);

		ret = n < 0 ? n : -ENOENT;
		for (int i = 0; i < n; i++)
			if (p[i].id == (__u32)id) {
				info = p[i];
				ret = 0;
			}
		if (n >= 0)
			free(p);
	}
	if (!ret)
		ret = uringblk_prog_activate(d->dev, info.pind, 1);
	if (ret)
		uringblk_prog_unload(d->dev, id);
	return ret;
}

CS_STATUS uringblk_cs_download_log(CS_DEV_HANDLE DevHandle, char *Buffer,
				   unsigned int Length)
{
	struct cs_drive *d = cs_csx_drive(DevHandle);

	if (!d)
		return CS_INVALID_HANDLE;
	if (!Buffer || !Length)
		return CS_INVALID_ARG;
	cs_drive_lock(d);
	snprintf(Buffer, Length, "%s", d->log);
	pthread_mutex_unlock(&d->lock);
	return CS_SUCCESS;
}

CS_STATUS csDownload(CS_DEV_HANDLE DevHandle, CsDownloadInfo *ProgramInfo)
{
	struct cs_drive *d = cs_csx_drive(DevHandle);
	const CsDownloadInfo *pi = ProgramInfo;
	char path[64];
	int fd = -1, ret;
	CS_STATUS st;

	if (!d)
		return CS_INVALID_HANDLE;
	if (!pi)
		return CS_INVALID_ARG;
	if (pi->Type != CS_BPF_PROGRAM)
		return CS_UNSUPPORTED;
	if (pi->Unload)
		return download_unload(d, pi->Index);
	if (pi->Index < 0 || !pi->DataBuffer)
		return CS_INVALID_ARG;
	switch (pi->SubType) {
	case CS_BPF_SUBTYPE_OBJECT:
		/* libbpf opens files: give the bytes a name */
		if (pi->Length <= 0)
			return CS_INVALID_LENGTH;
		fd = memfd_create("uringblk-cs-download", MFD_CLOEXEC);
		if (fd < 0)
			return cs_status_from_errno(CS_OP_DOWNLOAD, errno);
		if (write(fd, pi->DataBuffer, pi->Length) != pi->Length) {
			close(fd);
			return CS_OUT_OF_RESOURCES;
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		break;
	case CS_BPF_SUBTYPE_PATH:
		break;
	default:
		return CS_INVALID_OPTION;
	}
	cs_drive_lock(d);
	ret = load_and_activate(d, fd >= 0 ? path : pi->DataBuffer, pi->Index);
	st = cs_status_of(d->dev, CS_OP_DOWNLOAD, ret);
	pthread_mutex_unlock(&d->lock);
	if (fd >= 0)
		close(fd);
	return st;
}

CS_STATUS uringblk_cs_compute_file(CS_CSE_HANDLE CSEHandle,
				   CS_FUNCTION_ID FunctionId, const char *Path,
				   const __u64 *Args, int NumArgs,
				   __u64 *CompValue, int *Errno, char *Msg,
				   unsigned int MsgLen)
{
	struct cs_drive *d = cs_cse_drive(CSEHandle);
	struct uringblk_exec_args a = { 0 };
	struct uringblk_exec_result res = { 0 };
	struct uringblk_prog_info info;
	struct uringblk_file_map map = { .fd = -1 };
	CS_STATUS st;
	__u16 sc;
	int ret;

	if (Errno)
		*Errno = 0;
	if (Msg && MsgLen)
		*Msg = '\0';
	if (!d)
		return CS_INVALID_HANDLE;
	if (!Path || NumArgs < 0 || NumArgs > 3 || (NumArgs && !Args))
		return CS_INVALID_ARG;
	if (!FunctionId)
		return CS_INVALID_ID;
	for (int i = 0; i < NumArgs; i++)
		a.args[i] = Args[i];
	cs_drive_lock(d);
	ret = cs_prog_in_slot(d->dev, FunctionId, 0, &info);
	if (ret) {
		st = ret == -ENOENT ? CS_UNKNOWN_COMPUTE_FUNCTION :
		     cs_status_of(d->dev, CS_OP_COMPUTE, ret);
		pthread_mutex_unlock(&d->lock);
		if (Errno)
			*Errno = ret;
		return st;
	}
	a.prog_id = info.id;
	ret = uringblk_file_map(d->dev, Path, &map, Msg, MsgLen);
	if (!ret)
		ret = uringblk_file_exec(d->dev, &map, &a, &res, NULL, 0, Msg,
					 MsgLen);
	sc = cs_drive_status(d->dev, ret);
	uringblk_file_unmap(&map);
	pthread_mutex_unlock(&d->lock);
	if (Errno)
		*Errno = ret;
	if (!ret && CompValue)
		*CompValue = res.r0;
	switch (-ret) {
	case 0:
		st = CS_SUCCESS;
		break;
	case EXDEV:
		st = CS_ENTITY_NOT_ON_DEVICE;
		break;
	case ENODATA:
	case E2BIG:
		st = CS_INVALID_LENGTH;
		break;
	case ESTALE:
		st = CS_ERROR_IN_EXECUTION;
		break;
	default:
		/* a run that stopped: the program's doing */
		st = res.abort_code != URINGBLK_PROG_OK || res.error ?
		     CS_ERROR_IN_EXECUTION : ret == -ENOENT ? CS_ENOENT :
		     cs_status_from_drive(CS_OP_COMPUTE, ret, sc);
	}
	return st;
}
