// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * SNIA API: discovery, CSx and CSE handles, device properties, events and
 * the per-drive worker that runs queued requests.
 *
 * Every CSx and CSE handle of one drive shares one struct cs_drive: the
 * command handle, the SLM allocator and the worker.  The worker is a
 * thread started by the first queued request; it runs the drive's queued
 * requests one after the other, in queue order, with the same code as a
 * synchronous call (cs_run()), then calls the callback and posts the
 * event.  Completions therefore never need the user to poll, and a
 * callback is never called from inside a csQueue*() call.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cs_private.h"

#define CS_CSE_SUFFIX	".cse0"		/* the one CSE of a CSx */

static pthread_mutex_t cs_drives_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cs_drive *cs_drives;	/* under cs_drives_lock */

static CS_STATUS drive_new(struct uringblk_dev *dev, struct cs_drive **out)
{
	struct cs_drive *d;
	int ret;

	d = calloc(1, sizeof(*d));
	if (!d)
		return CS_OUT_OF_RESOURCES;
	ret = uringblk_identify(dev, &d->id);
	if (ret) {
		free(d);
		return cs_status_from_errno(CS_OP_OPEN, ret);
	}
	/* no SLM: nothing of this API applies (a drive older than ABI 1.3) */
	if (!(d->id.features & URINGBLK_F_SLM) || !d->id.slm_granularity) {
		free(d);
		return CS_UNSUPPORTED;
	}
	if (cs_alloc_init(&d->alloc, d->id.slm_size, d->id.slm_granularity)) {
		free(d);
		return CS_OUT_OF_RESOURCES;
	}
	d->dev = dev;
	d->index = uringblk_index(dev);
	d->refs = 1;
	pthread_mutex_init(&d->lock, NULL);
	pthread_mutex_init(&d->qlock, NULL);
	pthread_cond_init(&d->qcond, NULL);
	*out = d;
	return CS_SUCCESS;
}

/* A reference to the drive @name names, shared with other handles of it. */
static CS_STATUS drive_get(const char *name, struct cs_drive **out)
{
	struct uringblk_dev *dev;
	struct cs_drive *d;
	CS_STATUS st;
	int ret;

	if (!name || !out)
		return CS_INVALID_ARG;
	ret = uringblk_open(name, &dev);
	if (ret)
		return cs_status_from_errno(CS_OP_OPEN, ret);
	pthread_mutex_lock(&cs_drives_lock);
	for (d = cs_drives; d; d = d->next)
		if (d->index == uringblk_index(dev))
			break;
	if (d) {
		d->refs++;
		pthread_mutex_unlock(&cs_drives_lock);
		uringblk_close(dev);
		*out = d;
		return CS_SUCCESS;
	}
	st = drive_new(dev, &d);
	if (st == CS_SUCCESS) {
		d->next = cs_drives;
		cs_drives = d;
		*out = d;
	} else {
		uringblk_close(dev);
	}
	pthread_mutex_unlock(&cs_drives_lock);
	return st;
}

/*
 * Drop a reference; the last one lets the queued requests finish, stops
 * the worker and gives back every region's range set: the memory handles
 * of the drive are then gone.
 */
static void drive_put(struct cs_drive *d)
{
	struct cs_drive **pp;
	struct cs_mem *m, *n;

	pthread_mutex_lock(&cs_drives_lock);
	if (--d->refs) {
		pthread_mutex_unlock(&cs_drives_lock);
		return;
	}
	for (pp = &cs_drives; *pp != d; pp = &(*pp)->next)
		;
	*pp = d->next;
	pthread_mutex_unlock(&cs_drives_lock);

	pthread_mutex_lock(&d->qlock);
	d->stop = true;
	pthread_cond_broadcast(&d->qcond);
	pthread_mutex_unlock(&d->qlock);
	if (d->worker_started)
		pthread_join(d->worker, NULL);

	for (m = d->mems; m; m = n) {
		n = m->next;
		if (m->rsid)
			uringblk_range_set_delete(d->dev, m->rsid);
		m->magic = 0;
		free(m);
	}
	cs_alloc_destroy(&d->alloc);
	uringblk_close(d->dev);
	pthread_mutex_destroy(&d->lock);
	pthread_mutex_destroy(&d->qlock);
	pthread_cond_destroy(&d->qcond);
	free(d);
}

struct cs_drive *cs_csx_drive(CS_DEV_HANDLE h)
{
	return h && h->magic == CS_CSX_MAGIC ? h->drive : NULL;
}

struct cs_drive *cs_cse_drive(CS_CSE_HANDLE h)
{
	return h && h->magic == CS_CSE_MAGIC ? h->drive : NULL;
}

/* Copy @s with its NUL to @buf of *@len bytes; *@len = bytes needed. */
static CS_STATUS put_string(const char *s, unsigned int *len, char *buf)
{
	unsigned int need = strlen(s) + 1;

	if (!len)
		return CS_INVALID_ARG;
	if (!buf || *len < need) {
		*len = need;
		return CS_INVALID_LENGTH;
	}
	memcpy(buf, s, need);
	*len = need;
	return CS_SUCCESS;
}

/*
 * The drive index of a block device name as sysfs spells it: "uringblk0",
 * or its partition "uringblk0p1" (then the parent directory is the disk).
 */
static int index_of_sysfs_target(const char *target)
{
	char copy[PATH_MAX];
	const char *name;
	char *slash;
	int index;

	snprintf(copy, sizeof(copy), "%s", target);
	for (int up = 0; up < 2; up++) {
		slash = strrchr(copy, '/');
		name = slash ? slash + 1 : copy;
		if (!uringblk_parse_dev(name, &index))
			return index;
		if (!slash)
			break;
		*slash = '\0';
	}
	return -ENODEV;
}

CS_STATUS csGetCSxFromPath(char *Path, unsigned int *Length, char *DevName)
{
	char link[64], target[PATH_MAX], name[32];
	struct stat st;
	dev_t devno;
	ssize_t n;
	int index;

	if (!Path || !Length)
		return CS_INVALID_ARG;
	/* a drive's own name in any form the library takes */
	if (uringblk_parse_dev(Path, &index)) {
		if (stat(Path, &st))
			return errno == ENOENT ? CS_ENOENT :
			       cs_status_from_errno(CS_OP_OPEN, errno);
		/* a node names itself; a file or directory its file system's disk */
		devno = S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode) ?
			st.st_rdev : st.st_dev;
		snprintf(link, sizeof(link), "/sys/dev/%s/%u:%u",
			 S_ISCHR(st.st_mode) ? "char" : "block",
			 major(devno), minor(devno));
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			return CS_ENTITY_NOT_ON_DEVICE;
		target[n] = '\0';
		index = index_of_sysfs_target(target);
		if (index < 0)
			return CS_ENTITY_NOT_ON_DEVICE;
	}
	snprintf(name, sizeof(name), "%s%d", URINGBLK_BLKDEV_NAME, index);
	return put_string(name, Length, DevName);
}

CS_STATUS csGetCSEFromCSx(CS_DEV_HANDLE DevHandle, unsigned int *Length,
			  char *CSEName)
{
	struct cs_drive *d = cs_csx_drive(DevHandle);
	char name[48];

	if (!d)
		return CS_INVALID_HANDLE;
	snprintf(name, sizeof(name), "%s%d%s", URINGBLK_BLKDEV_NAME, d->index,
		 CS_CSE_SUFFIX);
	return put_string(name, Length, CSEName);
}

CS_STATUS csOpenCSx(char *DevName, void *DevContext, CS_DEV_HANDLE *DevHandle)
{
	struct cs_csx *h;
	CS_STATUS st;

	if (!DevName || !DevHandle)
		return CS_INVALID_ARG;
	h = calloc(1, sizeof(*h));
	if (!h)
		return CS_OUT_OF_RESOURCES;
	st = drive_get(DevName, &h->drive);
	if (st != CS_SUCCESS) {
		free(h);
		return st;
	}
	h->magic = CS_CSX_MAGIC;
	h->ctx = DevContext;
	*DevHandle = h;
	return CS_SUCCESS;
}

CS_STATUS csCloseCSx(CS_DEV_HANDLE DevHandle)
{
	struct cs_drive *d = cs_csx_drive(DevHandle);

	if (!d)
		return CS_INVALID_HANDLE;
	DevHandle->magic = 0;
	free(DevHandle);
	drive_put(d);
	return CS_SUCCESS;
}

CS_STATUS csOpenCSE(char *CSEName, void *CSEContext, CS_CSE_HANDLE *CSEHandle)
{
	size_t len, slen = strlen(CS_CSE_SUFFIX);
	char name[64];
	struct cs_cse *h;
	CS_STATUS st;

	if (!CSEName || !CSEHandle)
		return CS_INVALID_ARG;
	len = strlen(CSEName);
	if (len <= slen || len >= sizeof(name) ||
	    strcmp(CSEName + len - slen, CS_CSE_SUFFIX))
		return CS_ENODEV;
	memcpy(name, CSEName, len - slen);
	name[len - slen] = '\0';
	h = calloc(1, sizeof(*h));
	if (!h)
		return CS_OUT_OF_RESOURCES;
	st = drive_get(name, &h->drive);
	if (st != CS_SUCCESS) {
		free(h);
		return st;
	}
	h->magic = CS_CSE_MAGIC;
	h->ctx = CSEContext;
	*CSEHandle = h;
	return CS_SUCCESS;
}

CS_STATUS csCloseCSE(CS_CSE_HANDLE CSEHandle)
{
	struct cs_drive *d = cs_cse_drive(CSEHandle);

	if (!d)
		return CS_INVALID_HANDLE;
	CSEHandle->magic = 0;
	free(CSEHandle);
	drive_put(d);
	return CS_SUCCESS;
}

CS_STATUS csQueryDeviceProperties(CS_DEV_HANDLE DevHandle, int *Length,
				  CSxProperties *Buffer)
{
	struct cs_drive *d = cs_csx_drive(DevHandle);
	const struct uringblk_identify *id;
	CSEProperties *cse;

	if (!d)
		return CS_INVALID_HANDLE;
	if (!Length)
		return CS_INVALID_ARG;
	if (!Buffer || *Length < (int)sizeof(*Buffer)) {
		*Length = sizeof(*Buffer);
		return CS_INVALID_LENGTH;
	}
	*Length = sizeof(*Buffer);
	id = &d->id;
	memset(Buffer, 0, sizeof(*Buffer));
	Buffer->HwVersion = id->abi_major << 8 | id->abi_minor;
	Buffer->SwVersion = URINGBLK_LIB_VERSION_MAJOR << 8 |
			    URINGBLK_LIB_VERSION_MINOR;
	Buffer->DeviceId = d->index;
	snprintf(Buffer->FriendlyName, sizeof(Buffer->FriendlyName), "%s%d",
		 URINGBLK_BLKDEV_NAME, d->index);
	Buffer->FDMinMB = id->slm_size >> 20;
	/* SLM is managed by this library, not the drive, and not mappable */
	Buffer->Flags.FDMIsDeviceManaged = 0;
	Buffer->Flags.FDMIsHostVisible = 0;
	Buffer->Flags.BatchRequestsSupported = 0;
	Buffer->Flags.StreamsSupported = 0;
	Buffer->NumCSEs = 1;
	cse = &Buffer->CSE[0];
	cse->HwVersion = Buffer->HwVersion;
	cse->SwVersion = Buffer->SwVersion;
	snprintf(cse->UniqueName, sizeof(cse->UniqueName), "%s%d%s",
		 URINGBLK_BLKDEV_NAME, d->index, CS_CSE_SUFFIX);
	cse->NumBuiltinFunctions = id->nr_dd_progs;
	cse->MaxRequestsPerBatch = 0;	/* batches are the library's, unbounded */
	/* three values (cparam[0..1], arg2) and a set's ranges */
	cse->MaxFunctionParametersAllowed = CS_MAX_VALUE_ARGS +
					    id->max_set_ranges;
	cse->MaxConcurrentFunctionInstances = id->max_active_progs;
	return CS_SUCCESS;
}

/* The drive's programs (malloc()ed), or a negative errno. */
static int list_progs(struct cs_drive *d, struct uringblk_prog_info **p)
{
	int n;

	cs_drive_lock(d);
	n = cs_prog_list(d->dev, p);
	pthread_mutex_unlock(&d->lock);
	return n;
}

CS_STATUS csQueryDeviceForComputeList(CS_DEV_HANDLE DevHandle, int *Size,
				      CsFunctionInfo *FunctionInfo)
{
	struct cs_drive *d = cs_csx_drive(DevHandle);
	struct uringblk_prog_info *p;
	int n, i, need;

	if (!d)
		return CS_INVALID_HANDLE;
	if (!Size)
		return CS_INVALID_ARG;
	n = list_progs(d, &p);
	if (n < 0)
		return cs_status_from_errno(CS_OP_COMPUTE, n);
	need = n * (int)sizeof(*FunctionInfo);
	if (!FunctionInfo || *Size < need) {
		*Size = need;
		free(p);
		return CS_INVALID_LENGTH;
	}
	*Size = need;
	for (i = 0; i < n; i++) {
		memset(&FunctionInfo[i], 0, sizeof(FunctionInfo[i]));
		FunctionInfo[i].FunctionId = p[i].pind;
		FunctionInfo[i].NumUnits = 1;
		memcpy(FunctionInfo[i].Name, p[i].name,
		       sizeof(FunctionInfo[i].Name) - 1);
	}
	free(p);
	return CS_SUCCESS;
}

/*
 * CS_STAT_CSx_MEM_USAGE: the allocator's view and the drive's SLM traffic
 * (bytes between SLM and host cross the bus; media -> SLM stays inside).
 * CS_STAT_CSE_USAGE: runs (EXEC and EXECUTE) since the drive's counters
 * were reset.  CS_STAT_FUNCTION (Identifier: a CS_FUNCTION_ID *): the
 * program's runs (PROG_LIST); the drive does not time them.
 */
CS_STATUS csQueryDeviceStatistics(CS_DEV_HANDLE DevHandle, CS_STAT_TYPE Type,
				  void *Identifier, CsStatsInfo *Stats)
{
	struct cs_drive *d = cs_csx_drive(DevHandle);
	CSxMemoryUsage *mu;
	struct uringblk_stats st;
	int ret;

	(void)Identifier;
	if (!d)
		return CS_INVALID_HANDLE;
	if (!Stats)
		return CS_INVALID_ARG;
	memset(Stats, 0, sizeof(*Stats));
	if (Type == CS_STAT_FUNCTION) {
		struct uringblk_prog_info info;

		if (!Identifier)
			return CS_INVALID_ARG;
		cs_drive_lock(d);
		ret = cs_prog_in_slot(d->dev, *(CS_FUNCTION_ID *)Identifier, 0,
				      &info);
		pthread_mutex_unlock(&d->lock);
		if (ret)
			return ret == -ENOENT ? CS_INVALID_FUNCTION :
			       cs_status_from_errno(CS_OP_COMPUTE, ret);
		Stats->FunctionDetails.TotalExecutions = info.runs;
		return CS_SUCCESS;
	}
	if (Type != CS_STAT_CSx_MEM_USAGE && Type != CS_STAT_CSE_USAGE)
		return CS_INVALID_OPTION;
	cs_drive_lock(d);
	ret = uringblk_get_stats(d->dev, &st, 0);
	if (ret) {
		pthread_mutex_unlock(&d->lock);
		return cs_status_from_errno(CS_OP_MEM, ret);
	}
	if (Type == CS_STAT_CSE_USAGE) {
		Stats->CSEDetails.TotalFunctionExecutions = st.prog_runs;
		pthread_mutex_unlock(&d->lock);
		return CS_SUCCESS;
	}
	mu = &Stats->MemoryDetails;
	mu->TotalAllocatedFDM = d->alloc.size - d->alloc.free_bytes;
	mu->LargestBlockAvailableFDM = cs_alloc_largest(&d->alloc);
	mu->TotalAllocationsFDM = d->nr_allocs;
	mu->TotalDeAllocationsFDM = d->nr_frees;
	if (d->nr_allocs > d->nr_frees)
		mu->AverageAllocatedSizeFDM = mu->TotalAllocatedFDM /
					      (d->nr_allocs - d->nr_frees);
	pthread_mutex_unlock(&d->lock);
	mu->TotalFDMtoHostinMB = st.slm_bytes_to_host >> 20;
	mu->TotalHosttoFDMinMB = st.slm_bytes_from_host >> 20;
	mu->TotalStoragetoFDMinMB = st.slm_bytes_from_media >> 20;
	mu->TotalFDMtoStorageinMB = 0;	/* no SLM -> media command */
	return CS_SUCCESS;
}

/* Append "@s" (comma-separated) to @buf of @size; the length it needs. */
static size_t append_name(char *buf, size_t size, size_t used, const char *s)
{
	size_t need = used + (used ? 1 : 0) + strlen(s);

	if (buf && need + 1 <= size) {
		if (used)
			buf[used++] = ',';
		strcpy(buf + used, s);
	}
	return need;
}

CS_STATUS csQueryFunctionList(char *Path, int *Length, char *Buffer)
{
	struct uringblk_prog_info *p;
	char devname[32], name[URINGBLK_PROG_NAME_LEN + 1];
	unsigned int dlen = sizeof(devname);
	struct cs_drive *d;
	size_t used = 0;
	CS_STATUS st;
	int n, i;

	if (!Path || !Length || *Length < 0)
		return CS_INVALID_ARG;
	st = csGetCSxFromPath(Path, &dlen, devname);
	if (st != CS_SUCCESS)
		return st;
	st = drive_get(devname, &d);
	if (st != CS_SUCCESS)
		return st;
	n = list_progs(d, &p);
	drive_put(d);
	if (n < 0)
		return cs_status_from_errno(CS_OP_COMPUTE, n);
	if (Buffer && *Length)
		Buffer[0] = '\0';
	for (i = 0; i < n; i++) {
		memcpy(name, p[i].name, URINGBLK_PROG_NAME_LEN);
		name[URINGBLK_PROG_NAME_LEN] = '\0';
		used = append_name(Buffer, *Length, used, name);
	}
	free(p);
	if (!Buffer || used + 1 > (size_t)*Length) {
		*Length = used + 1;
		return CS_INVALID_LENGTH;
	}
	*Length = used + 1;
	return CS_SUCCESS;
}

CS_STATUS csQueryCSEList(char *FunctionName, int *Length, char *Buffer)
{
	struct uringblk_prog_info info;
	struct cs_drive *d;
	struct dirent *e;
	size_t used = 0;
	int index, ret;
	char cse[64];
	DIR *dir;

	if (!Length || *Length < 0)
		return CS_INVALID_ARG;
	dir = opendir("/sys/block");
	if (!dir)
		return cs_status_from_errno(CS_OP_OPEN, errno);
	if (Buffer && *Length)
		Buffer[0] = '\0';
	/* every drive with SLM this process may open, and the function */
	while ((e = readdir(dir))) {
		if (uringblk_parse_dev(e->d_name, &index))
			continue;
		if (drive_get(e->d_name, &d) != CS_SUCCESS)
			continue;
		ret = 0;
		if (FunctionName) {
			cs_drive_lock(d);
			ret = uringblk_prog_find(d->dev, FunctionName, &info);
			pthread_mutex_unlock(&d->lock);
		}
		if (!ret) {
			snprintf(cse, sizeof(cse), "%s%d%s",
				 URINGBLK_BLKDEV_NAME, index, CS_CSE_SUFFIX);
			used = append_name(Buffer, *Length, used, cse);
		}
		drive_put(d);
	}
	closedir(dir);
	if (!used)
		return CS_NO_SUCH_ENTITY_EXISTS;
	if (!Buffer || used + 1 > (size_t)*Length) {
		*Length = used + 1;
		return CS_INVALID_LENGTH;
	}
	*Length = used + 1;
	return CS_SUCCESS;
}

/* Events: completions waiting to be polled, oldest first */
struct cs_completion {
	CS_STATUS	status;
	void		*ctx;
	struct cs_completion *next;
};

struct cs_evt {
	__u32		magic;
	pthread_mutex_t	lock;		/* @head, @tail */
	struct cs_completion *head, *tail;
};
#define CS_EVT_MAGIC	0x54564521U

bool cs_event_valid(CS_EVT_HANDLE evt)
{
	return evt && evt->magic == CS_EVT_MAGIC;
}

CS_STATUS csCreateEvent(CS_EVT_HANDLE *EventHandle)
{
	struct cs_evt *e;

	if (!EventHandle)
		return CS_INVALID_ARG;
	e = calloc(1, sizeof(*e));
	if (!e)
		return CS_OUT_OF_RESOURCES;
	pthread_mutex_init(&e->lock, NULL);
	e->magic = CS_EVT_MAGIC;
	*EventHandle = e;
	return CS_SUCCESS;
}

CS_STATUS csDeleteEvent(CS_EVT_HANDLE EventHandle)
{
	struct cs_completion *c, *n;

	if (!cs_event_valid(EventHandle))
		return CS_INVALID_EVENT;
	EventHandle->magic = 0;
	for (c = EventHandle->head; c; c = n) {
		n = c->next;
		free(c);
	}
	pthread_mutex_destroy(&EventHandle->lock);
	free(EventHandle);
	return CS_SUCCESS;
}

CS_STATUS cs_event_post(CS_EVT_HANDLE evt, CS_STATUS status, void *ctx)
{
	struct cs_completion *c = malloc(sizeof(*c));

	if (!c)
		return CS_OUT_OF_RESOURCES;
	c->status = status;
	c->ctx = ctx;
	c->next = NULL;
	pthread_mutex_lock(&evt->lock);
	if (evt->tail)
		evt->tail->next = c;
	else
		evt->head = c;
	evt->tail = c;
	pthread_mutex_unlock(&evt->lock);
	return CS_SUCCESS;
}

/*
 * Context: the drafts type it void * but call it an output ("the context
 * of the event that completed"): when not NULL it is taken as a void **
 * that receives the completed request's Context.
 */
CS_STATUS csPollEvent(CS_EVT_HANDLE EventHandle, void *Context)
{
	struct cs_completion *c;
	CS_STATUS st;

	if (!cs_event_valid(EventHandle))
		return CS_INVALID_EVENT;
	pthread_mutex_lock(&EventHandle->lock);
	c = EventHandle->head;
	if (c) {
		EventHandle->head = c->next;
		if (!c->next)
			EventHandle->tail = NULL;
	}
	pthread_mutex_unlock(&EventHandle->lock);
	if (!c)
		return CS_NOT_DONE;
	if (Context)
		*(void **)Context = c->ctx;
	st = c->status;
	free(c);
	return st;
}

static void *worker_main(void *arg)
{
	struct cs_drive *d = arg;
	struct cs_req *r;
	CS_STATUS st;
	__u64 cv;

	pthread_mutex_lock(&d->qlock);
	for (;;) {
		while (!d->qhead && !d->stop)
			pthread_cond_wait(&d->qcond, &d->qlock);
		r = d->qhead;
		if (!r)
			break;	/* stopping, and nothing left */
		d->qhead = r->next;
		if (!d->qhead)
			d->qtail = NULL;
		pthread_mutex_unlock(&d->qlock);

		cv = 0;
		st = cs_run(d, r->kind, r->req, &cv);
		if (r->cv)
			*r->cv = cv;
		if (r->cb)
			r->cb(r->ctx, st);
		/* without memory for the completion the event cannot say it */
		if (r->evt)
			cs_event_post(r->evt, st, r->ctx);
		free(r);

		pthread_mutex_lock(&d->qlock);
	}
	pthread_mutex_unlock(&d->qlock);
	return NULL;
}

CS_STATUS cs_submit(struct cs_drive *d, enum cs_req_kind kind, const void *req,
		    void *ctx, csQueueCallbackFn cb, CS_EVT_HANDLE evt,
		    __u64 *cv)
{
	struct cs_req *r;
	__u64 v = 0;
	CS_STATUS st;

	if (!cb && !evt) {
		st = cs_run(d, kind, req, &v);
		if (cv)
			*cv = v;
		return st;
	}
	if (evt && !cs_event_valid(evt))
		return CS_INVALID_EVENT;
	r = calloc(1, sizeof(*r));
	if (!r)
		return CS_OUT_OF_RESOURCES;
	r->kind = kind;
	r->req = req;
	r->ctx = ctx;
	r->cb = cb;
	r->evt = evt;
	r->cv = cv;

	pthread_mutex_lock(&d->qlock);
	if (!d->worker_started) {
		if (pthread_create(&d->worker, NULL, worker_main, d)) {
			pthread_mutex_unlock(&d->qlock);
			free(r);
			return CS_OUT_OF_RESOURCES;
		}
		d->worker_started = true;
	}
	if (d->qtail)
		d->qtail->next = r;
	else
		d->qhead = r;
	d->qtail = r;
	pthread_cond_signal(&d->qcond);
	pthread_mutex_unlock(&d->qlock);
	return CS_QUEUED;
}
