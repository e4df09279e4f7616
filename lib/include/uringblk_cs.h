/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * uringblk_cs.h - the SNIA Computational Storage API on uringblk.
 *
 * The names, types and calling conventions of the SNIA Computational
 * Storage API (the C API), mapped onto the drive's computational storage
 * model (TP4091 programs in slots, SLM, memory range sets: see "The
 * computational storage model" in <liburingblk/uapi/uringblk.h>).
 * lib/README-cs.md lists every function of the API and what this library
 * does with it.
 *
 * Which text: the v1.x specification could not be read; the names and
 * signatures come from public headers that transcribe v0.5-v0.8 drafts
 * (lib/README-cs.md names them).  Where the drafts differ this header
 * takes the later one and says so: CompValue is a __u64 * (the result of
 * a program is 64 bits).  Numeric values of CS_STATUS follow the draft
 * order; use the names.
 *
 * Why this file name: the drafts call the header "cs.h", a name too
 * generic to install into /usr/include next to other vendors' copies; the
 * API's own identifiers (cs*, Cs*, CS_*) are kept unprefixed, as the
 * standard defines them.  The draft's u8..u64 are __u8..__u64 here, so
 * that this header defines no short type names of its own.
 *
 * Model, in the API's words:
 *  - a CSx is a drive, named "uringblkN" (csGetCSxFromPath());
 *  - it has one CSE, named "uringblkN.cse0", that runs the drive's
 *    programs; a CS_FUNCTION_ID is the program index (pind, the slot);
 *  - FDM is the drive's SLM.  The drive does not allocate SLM: this
 *    library does, per drive and per process (csAllocMem()).  Two
 *    processes using the same drive's SLM through this API do not see
 *    each other's allocations;
 *  - AFDM (allocated FDM) is a CS_MEM_HANDLE: a region of SLM.  It has no
 *    host mapping (SLM is reached only through MEM_READ/MEM_WRITE), so
 *    csAllocMem() returns a NULL virtual address.
 *
 * Synchronous and asynchronous calls: with CallbackFn and EventHandle both
 * NULL a csQueue*() call runs to completion and returns its status.
 * Otherwise it returns CS_QUEUED once the request is accepted; the
 * request then runs on the library's thread for that drive (one per
 * drive, started by the first queued request), in queue order, and on
 * completion *CompValue is written, CallbackFn(Context, Status) is called
 * on that thread, and the event (if any) gets the completion.  What
 * a queued request points to (the request struct, host buffers, the
 * CompValue slot) must stay valid until it completes.  A callback may
 * queue more requests; it must not close the CSx.
 *
 * Thread safety: every function may be called from any thread; requests
 * to one drive reach it one command at a time.
 */
#ifndef URINGBLK_CS_H
#define URINGBLK_CS_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAX_CS_NAME_LENGTH	32

/* CS_STATUS: in the drafts' order (CS_SUCCESS = 0, then in sequence) */
typedef enum {
	CS_SUCCESS = 0,
	CS_COULD_NOT_MAP_MEMORY,
	CS_DEVICE_ERROR,
	CS_DEVICE_NOT_AVAILABLE,
	CS_DEVICE_NOT_READY,
	CS_DEVICE_NOT_PRESENT,
	CS_ENODEV,
	CS_ENOENT,
	CS_ENTITY_NOT_ON_DEVICE,
	CS_ENXIO,
	CS_ERROR_IN_EXECUTION,
	CS_FATAL_ERROR,
	CS_HANDLE_IN_USE,
	CS_INVALID_HANDLE,
	CS_INVALID_ARG,
	CS_INVALID_EVENT,
	CS_INVALID_ID,
	CS_INVALID_LENGTH,
	CS_INVALID_OPTION,
	CS_INVALID_FUNCTION,
	CS_INVALID_FUNCTION_NAME,
	CS_IO_TIMEOUT,
	CS_LOAD_ERROR,
	CS_MEMORY_IN_USE,
	CS_NO_PERMISSIONS,
	CS_NOT_DONE,
	CS_NOT_ENOUGH_MEMORY,
	CS_NO_SUCH_ENTITY_EXISTS,
	CS_OUT_OF_RESOURCES,
	CS_QUEUED,
	CS_UNKNOWN_MEMORY,
	CS_UNKNOWN_COMPUTE_FUNCTION,
	CS_UNSUPPORTED,
} CS_STATUS;

/* Handles: opaque pointers (the representation is the implementation's) */
typedef struct cs_csx *CS_DEV_HANDLE;
typedef struct cs_cse *CS_CSE_HANDLE;
typedef struct cs_mem *CS_MEM_HANDLE;
typedef struct cs_evt *CS_EVT_HANDLE;
typedef struct cs_batch *CS_BATCH_HANDLE;
typedef void *CS_STREAM_HANDLE;		/* streams are not supported */
typedef void *CS_MEM_PTR;
typedef __u32 CS_FUNCTION_ID;		/* the program index (pind) */
typedef __u32 CS_BATCH_INDEX;

typedef enum {
	CS_AFDM_TYPE = 1,
	CS_32BIT_VALUE_TYPE = 2,
	CS_64BIT_VALUE_TYPE = 3,
	CS_STREAM_TYPE = 4,
	CS_DESCRIPTOR_TYPE = 5,
} CS_COMPUTE_ARG_TYPE;

typedef enum {
	CS_STORAGE_BLOCK_IO = 1,
	CS_STORAGE_FILE_IO = 2,
} CS_STORAGE_REQ_MODE;

typedef enum {
	CS_STORAGE_LOAD_TYPE = 1,
	CS_STORAGE_STORE_TYPE = 2,
} CS_STORAGE_IO_TYPE;

typedef enum {
	CS_COPY_TO_DEVICE = 1,
	CS_COPY_FROM_DEVICE = 2,
} CS_MEM_COPY_TYPE;

typedef enum {
	CS_BATCH_SERIAL = 1,
	CS_BATCH_PARALLEL = 2,
	CS_BATCH_HYBRID = 3,
} CS_BATCH_MODE;

typedef enum {
	CS_COPY_AFDM = 1,
	CS_STORAGE_IO = 2,
	CS_QUEUE_COMPUTE = 3,
} CS_BATCH_REQ_TYPE;

typedef enum {
	CS_FPGA_BITSTREAM = 1,
	CS_BPF_PROGRAM = 2,
	CS_CONTAINER_IMAGE = 3,
	CS_OPERATING_SYSTEM_IMAGE = 4,
	CS_LARGE_DATA_SET = 5,
} CS_DOWNLOAD_TYPE;

/*
 * CsDownloadInfo.SubType for CS_BPF_PROGRAM (uringblk's choice; the
 * drafts leave it "type dependent"):
 */
#define CS_BPF_SUBTYPE_OBJECT	0	/* DataBuffer: a clang-built ELF object, Length bytes */
#define CS_BPF_SUBTYPE_PATH	1	/* DataBuffer: the object's path, NUL-terminated */

typedef enum {
	CS_STAT_CSE_USAGE = 1,
	CS_STAT_CSx_MEM_USAGE = 2,
	CS_STAT_FUNCTION = 3,
} CS_STAT_TYPE;

typedef void (*csQueueCallbackFn)(void *QueueContext, CS_STATUS Status);

/* a place in AFDM */
typedef struct {
	CS_MEM_HANDLE	MemHandle;
	unsigned long	ByteOffset;
} CsDevAFDM;

typedef struct {
	CS_COMPUTE_ARG_TYPE Type;
	union {
		CsDevAFDM	DevMem;
		__u64		Value64;
		__u32		Value32;
		CS_STREAM_HANDLE StreamHandle;
	} u;
} CsComputeArg;

/* Args[] is a variable-length tail: allocate room for NumArgs of them */
typedef struct {
	CS_CSE_HANDLE	CSEHandle;
	CS_FUNCTION_ID	FunctionId;
	int		NumArgs;
	CsComputeArg	Args[1];
} CsComputeRequest;

#define CS_COMPUTE_REQUEST_SIZE(n) \
	(sizeof(CsComputeRequest) + ((n) > 1 ? (n) - 1 : 0) * sizeof(CsComputeArg))

typedef struct {
	CS_STORAGE_IO_TYPE Type;
	__u32		StorageIndex;	/* 0: the drive has one */
	__u32		NamespaceId;	/* 0 or 1: the drive has one */
	__u64		StartLba;
	__u32		NumBlocks;
	CsDevAFDM	DevMem;
} CsBlockIo;

typedef struct {
	CS_STORAGE_IO_TYPE Type;
	void		*FileHandle;
	__u64		Offset;
	__u32		Bytes;
	CsDevAFDM	DevMem;
} CsFileIo;

typedef struct {
	CS_STORAGE_REQ_MODE Mode;
	CS_DEV_HANDLE	DevHandle;
	union {
		CsBlockIo	BlockIo;
		CsFileIo	FileIo;
	} u;
} CsStorageRequest;

typedef struct {
	CS_MEM_COPY_TYPE Type;
	void		*HostVAddress;
	CsDevAFDM	DevMem;
	unsigned int	Bytes;
} CsCopyMemRequest;

typedef struct {
	CS_BATCH_REQ_TYPE ReqType;
	__u32		reqLength;
	union {
		CsCopyMemRequest CopyMem;
		CsStorageRequest StorageIo;
		CsComputeRequest Compute;
	} u;
} CsBatchRequest;

typedef struct {
	CS_FUNCTION_ID	FunctionId;
	__u8		NumUnits;
	char		Name[MAX_CS_NAME_LENGTH];
} CsFunctionInfo;

typedef struct {
	__u16	HwVersion;
	__u16	SwVersion;
	char	UniqueName[32];
	__u16	NumBuiltinFunctions;
	__u32	MaxRequestsPerBatch;
	__u32	MaxFunctionParametersAllowed;
	__u32	MaxConcurrentFunctionInstances;
} CSEProperties;

typedef struct {
	__u16	HwVersion;
	__u16	SwVersion;
	__u16	VendorId;
	__u16	DeviceId;
	char	FriendlyName[MAX_CS_NAME_LENGTH];
	__u32	CFMinMB;
	__u32	FDMinMB;
	struct {
		__u64	FDMIsDeviceManaged : 1;
		__u64	FDMIsHostVisible : 1;
		__u64	BatchRequestsSupported : 1;
		__u64	StreamsSupported : 1;
		__u64	Reserved : 60;
	} Flags;
	__u16		NumCSEs;
	CSEProperties	CSE[1];
} CSxProperties;

typedef struct {
	__u32	PowerOnMins;
	__u32	IdleTimeMins;
	__u64	TotalFunctionExecutions;
} CSEUsage;

/* FDM usage; the byte counts are the drive's (GET_STATS), in MiB */
typedef struct {
	__u64	TotalAllocatedFDM;
	__u64	LargestBlockAvailableFDM;
	__u64	AverageAllocatedSizeFDM;
	__u64	TotalFreeCSFM;
	__u64	TotalAllocationsFDM;
	__u64	TotalDeAllocationsFDM;
	__u64	TotalFDMtoHostinMB;
	__u64	TotalHosttoFDMinMB;
	__u64	TotalFDMtoStorageinMB;
	__u64	TotalStoragetoFDMinMB;
} CSxMemoryUsage;

typedef struct {
	__u64	TotalUptimeSeconds;
	__u64	TotalExecutions;
	__u64	ShortestTimeUsecs;
	__u64	LongestTimeUsecs;
	__u64	AverageTimeUsecs;
} CSFUsage;

typedef union {
	CSEUsage	CSEDetails;
	CSxMemoryUsage	MemoryDetails;
	CSFUsage	FunctionDetails;
} CsStatsInfo;

typedef struct {
	CS_DOWNLOAD_TYPE Type;
	int	SubType;	/* CS_BPF_SUBTYPE_* */
	int	Index;		/* program slot (pind); 0 = lowest free */
	int	Unload;		/* non-zero: unload the program in slot Index */
	int	Length;		/* bytes at DataBuffer */
	void	*DataBuffer;
} CsDownloadInfo;

/* Discovery */
/**
 * csGetCSxFromPath() - the name of the CSx (drive) a path is on
 * @Path:	a device name in any form ("uringblk0", "/dev/uringblk0",
 *		"/dev/uringblkc0", "0"), a device node, or a file or directory
 *		on a file system on the drive (partitions included)
 * @Length:	in: the size of @DevName; out: the size needed, with the NUL
 * @DevName:	receives "uringblkN"
 *
 * Return: CS_SUCCESS; CS_INVALID_LENGTH (@DevName NULL or too small:
 * *@Length says how much is needed); CS_ENTITY_NOT_ON_DEVICE (a path on
 * another disk); CS_ENOENT; CS_INVALID_ARG (a NULL argument).
 */
CS_STATUS csGetCSxFromPath(char *Path, unsigned int *Length, char *DevName);
/**
 * csQueryCSEList() - the CSEs that have a function
 * @FunctionName:	a program name, or NULL for every CSE
 * @Length:	in: the size of @Buffer; out: the size needed
 * @Buffer:	receives a comma-separated list of "uringblkN.cse0"
 *
 * Lists every drive with SLM that this process can open and that has a
 * program named @FunctionName.
 *
 * Return: CS_SUCCESS; CS_NO_SUCH_ENTITY_EXISTS (none); CS_INVALID_LENGTH
 * (@Buffer NULL or too small); CS_INVALID_ARG.
 */
CS_STATUS csQueryCSEList(char *FunctionName, int *Length, char *Buffer);
/**
 * csQueryFunctionList() - the functions (programs) of a CSx
 * @Path:	names the CSx, as csGetCSxFromPath() takes it
 * @Length:	in: the size of @Buffer; out: the size needed, with the NUL
 * @Buffer:	receives a comma-separated list of the program names,
 *		device-defined programs included
 *
 * Return: CS_SUCCESS; CS_INVALID_LENGTH (@Buffer NULL or too small);
 * csGetCSxFromPath()'s statuses; or the drive's PROG_LIST error.
 */
CS_STATUS csQueryFunctionList(char *Path, int *Length, char *Buffer);
/**
 * csGetCSEFromCSx() - the name of a CSx's CSE
 * @DevHandle:	from csOpenCSx()
 * @Length:	in: the size of @CSEName; out: the size needed, with the NUL
 * @CSEName:	receives "uringblkN.cse0" (a drive has one CSE)
 *
 * Return: CS_SUCCESS, CS_INVALID_HANDLE, CS_INVALID_LENGTH or
 * CS_INVALID_ARG.
 */
CS_STATUS csGetCSEFromCSx(CS_DEV_HANDLE DevHandle, unsigned int *Length,
			  char *CSEName);

/* Access */
/**
 * csOpenCSx() - open a CSx (a drive)
 * @DevName:	"uringblkN", as csGetCSxFromPath() gives it
 * @DevContext:	kept with the handle, not used (the drive sends no
 *		notifications)
 * @DevHandle:	receives the handle; close it with csCloseCSx()
 *
 * Opens the command device; all handles of one drive in a process share
 * one command handle, one SLM allocator and one request thread.
 *
 * Return: CS_SUCCESS; CS_UNSUPPORTED (a drive without URINGBLK_F_SLM);
 * CS_ENODEV (not a uringblk device name); CS_OUT_OF_RESOURCES;
 * CS_INVALID_ARG; or the open's errno as a CS_STATUS.
 */
CS_STATUS csOpenCSx(char *DevName, void *DevContext, CS_DEV_HANDLE *DevHandle);
/**
 * csCloseCSx() - close a CSx handle
 * @DevHandle:	from csOpenCSx()
 *
 * When the last handle of the drive closes, the library waits for its
 * queued requests, stops its thread and deletes its regions' range sets.
 *
 * Return: CS_SUCCESS or CS_INVALID_HANDLE.
 */
CS_STATUS csCloseCSx(CS_DEV_HANDLE DevHandle);
/**
 * csOpenCSE() - open a CSE
 * @CSEName:	"uringblkN.cse0", as csGetCSEFromCSx() gives it
 * @CSEContext:	kept with the handle, not used
 * @CSEHandle:	receives the handle; close it with csCloseCSE()
 *
 * The CSE shares the drive's state with the CSx handles of the drive.
 *
 * Return: CS_SUCCESS; CS_ENODEV (a name not ending in ".cse0", or not a
 * drive); csOpenCSx()'s other statuses.
 */
CS_STATUS csOpenCSE(char *CSEName, void *CSEContext, CS_CSE_HANDLE *CSEHandle);
/**
 * csCloseCSE() - close a CSE handle
 * @CSEHandle:	from csOpenCSE()
 *
 * Return: CS_SUCCESS or CS_INVALID_HANDLE.
 */
CS_STATUS csCloseCSE(CS_CSE_HANDLE CSEHandle);

/* Device memory (FDM = SLM) */
/**
 * csAllocMem() - allocate device memory (a region of the drive's SLM)
 * @DevHandle:	from csOpenCSx()
 * @Bytes:	> 0; rounded up to whole identify.slm_granularity units,
 *		the padding zeroed
 * @MemFlags:	must be 0
 * @MemHandle:	receives the region (AFDM); free it with csFreeMem()
 * @VAddressPtr:	receives NULL (SLM has no host mapping), or NULL
 *
 * The drive does not allocate SLM: the library keeps a first-fit
 * allocator per drive and per process, so two processes do not see each
 * other's allocations.
 *
 * Return: CS_SUCCESS; CS_NOT_ENOUGH_MEMORY (no free extent large enough);
 * CS_INVALID_OPTION (@MemFlags); CS_INVALID_HANDLE; CS_INVALID_ARG;
 * CS_OUT_OF_RESOURCES; or the zeroing MEM_WRITE's error.
 */
CS_STATUS csAllocMem(CS_DEV_HANDLE DevHandle, int Bytes, unsigned int MemFlags,
		     CS_MEM_HANDLE *MemHandle, CS_MEM_PTR *VAddressPtr);
/**
 * csFreeMem() - free device memory
 * @MemHandle:	from csAllocMem()
 *
 * Deletes the range set the library keeps for the region, then returns
 * its extent to the allocator.
 *
 * Return: CS_SUCCESS; CS_INVALID_HANDLE; CS_MEMORY_IN_USE (an EXECUTE
 * still uses the region's range set: nothing is freed).
 */
CS_STATUS csFreeMem(CS_MEM_HANDLE MemHandle);

/* Storage and data movement */
/**
 * csQueueStorageRequest() - move blocks of the drive into device memory
 * @Req:	a CS_STORAGE_BLOCK_IO request; LOAD copies
 *		[StartLba, StartLba + NumBlocks) into the region at
 *		DevMem.ByteOffset (MEM_COPY: the data stay in the drive);
 *		StorageIndex 0, NamespaceId 0 or 1
 * @Context:	passed to @CallbackFn and returned by csPollEvent()
 * @CallbackFn:	called on the drive's library thread when the request
 *		completes, or NULL
 * @EventHandle:	receives the completion (csPollEvent()), or NULL
 * @CompValue:	receives the bytes moved, or NULL
 *
 * With @CallbackFn and @EventHandle both NULL the request runs to
 * completion before the call returns; otherwise the call returns
 * CS_QUEUED and the request runs later on the drive's library thread, in
 * queue order (uringblk_cs(7)).  What the request points to must stay valid
 * until it completes.
 *
 * Return: CS_SUCCESS or CS_QUEUED; CS_UNSUPPORTED (STORE, or
 * CS_STORAGE_FILE_IO); CS_INVALID_ARG (LBA out of range, bad fields);
 * CS_INVALID_LENGTH (past the region's end); CS_INVALID_HANDLE; or
 * MEM_COPY's error as a CS_STATUS (CS_DEVICE_ERROR for an unreadable
 * block).
 */
CS_STATUS csQueueStorageRequest(CsStorageRequest *Req, void *Context,
				csQueueCallbackFn CallbackFn,
				CS_EVT_HANDLE EventHandle, __u64 *CompValue);
/**
 * csQueueCopyMemRequest() - copy between host memory and device memory
 * @CopyReq:	CS_COPY_TO_DEVICE (MEM_WRITE) or CS_COPY_FROM_DEVICE
 *		(MEM_READ) of Bytes between HostVAddress and DevMem
 * @Context:	passed to @CallbackFn and returned by csPollEvent()
 * @CallbackFn:	called on the drive's library thread when the request
 *		completes, or NULL
 * @EventHandle:	receives the completion (csPollEvent()), or NULL
 * @CompValue:	receives the bytes moved, or NULL
 *
 * With @CallbackFn and @EventHandle both NULL the request runs to
 * completion before the call returns; otherwise the call returns
 * CS_QUEUED and the request runs later on the drive's library thread, in
 * queue order (uringblk_cs(7)).  What the request points to must stay valid
 * until it completes.
 *
 * Return: CS_SUCCESS or CS_QUEUED; CS_INVALID_LENGTH (past the region's
 * end); CS_INVALID_ARG; CS_INVALID_HANDLE; or MEM_READ/MEM_WRITE's error
 * as a CS_STATUS.
 */
CS_STATUS csQueueCopyMemRequest(CsCopyMemRequest *CopyReq, void *Context,
				csQueueCallbackFn CallbackFn,
				CS_EVT_HANDLE EventHandle, __u64 *CompValue);

/* Functions */
/**
 * csGetFunction() - look a function (program) up by name
 * @CSEHandle:	from csOpenCSE()
 * @FunctionName:	the program's name; downloaded programs (lower slots)
 *		are found before device-defined ones
 * @Context:	not used
 * @FunctionId:	receives the program's slot (pind)
 *
 * An inactive program is activated (PROG_ACTIVATE): a function is fetched
 * to be run.
 *
 * Return: CS_SUCCESS; CS_INVALID_FUNCTION_NAME (no such program);
 * CS_INVALID_HANDLE; CS_INVALID_ARG; or the activation's error.
 */
CS_STATUS csGetFunction(CS_CSE_HANDLE CSEHandle, char *FunctionName,
			void *Context, CS_FUNCTION_ID *FunctionId);
/**
 * csQueueComputeRequest() - run a function on device memory
 * @Req:	FunctionId from csGetFunction(); Args set with
 *		csHelperSetComputeArg(): at least one AFDM argument (the
 *		regions, end to end, are the program's ctx->mem) and up to
 *		three values (ctx->args[0..2])
 * @Context:	passed to @CallbackFn and returned by csPollEvent()
 * @CallbackFn:	called on the drive's library thread when the request
 *		completes, or NULL
 * @EventHandle:	receives the completion (csPollEvent()), or NULL
 * @CompValue:	receives the program's 64-bit r0, or NULL
 *
 * EXECUTE of the slot over a memory range set made from the AFDM
 * arguments, with the drive's default budget.  An AFDM offset must be a
 * multiple of identify.slm_granularity.
 * With @CallbackFn and @EventHandle both NULL the request runs to
 * completion before the call returns; otherwise the call returns
 * CS_QUEUED and the request runs later on the drive's library thread, in
 * queue order (uringblk_cs(7)).  What the request points to must stay valid
 * until it completes.
 *
 * Return: CS_SUCCESS or CS_QUEUED; CS_ERROR_IN_EXECUTION (the run started
 * and was stopped: budget, bounds, a bad helper argument); CS_UNSUPPORTED
 * (stream or descriptor arguments); CS_INVALID_ARG (no AFDM argument, an
 * unaligned offset); CS_INVALID_ID; CS_UNKNOWN_COMPUTE_FUNCTION (an empty
 * slot); CS_INVALID_FUNCTION (an inactive program); CS_INVALID_HANDLE.
 */
CS_STATUS csQueueComputeRequest(CsComputeRequest *Req, void *Context,
				csQueueCallbackFn CallbackFn,
				CS_EVT_HANDLE EventHandle, __u64 *CompValue);
/**
 * csHelperSetComputeArg() - fill one argument of a compute request
 * @ArgPtr:	&req->Args[i]
 * @Type:	CS_AFDM_TYPE, CS_32BIT_VALUE_TYPE, CS_64BIT_VALUE_TYPE or
 *		CS_STREAM_TYPE
 * @...:	for CS_AFDM_TYPE a CS_MEM_HANDLE and an unsigned long
 *		ByteOffset; for 32-bit values an unsigned int; for 64-bit
 *		values a __u64; for streams a CS_STREAM_HANDLE
 */
void csHelperSetComputeArg(CsComputeArg *ArgPtr, CS_COMPUTE_ARG_TYPE Type, ...);

/* Batches */
/**
 * csAllocBatchRequest() - allocate an empty batch
 * @Mode:	CS_BATCH_SERIAL or CS_BATCH_HYBRID (entries linked: a failure
 *		cancels the rest) or CS_BATCH_PARALLEL (not linked)
 * @MaxReqs:	a hint, >= 0
 * @BatchHandle:	receives the batch; free it with csFreeBatchRequest()
 *
 * Return: CS_SUCCESS, CS_INVALID_OPTION (an unknown @Mode),
 * CS_INVALID_ARG or CS_OUT_OF_RESOURCES.
 */
CS_STATUS csAllocBatchRequest(CS_BATCH_MODE Mode, int MaxReqs,
			      CS_BATCH_HANDLE *BatchHandle);
/**
 * csFreeBatchRequest() - free a batch (not the requests its entries name)
 * @BatchHandle:	from csAllocBatchRequest()
 *
 * Return: CS_SUCCESS or CS_INVALID_HANDLE.
 */
CS_STATUS csFreeBatchRequest(CS_BATCH_HANDLE BatchHandle);
/**
 * csAddBatchEntry() - add a request to a batch
 * @BatchHandle:	from csAllocBatchRequest()
 * @Req:	ReqType CS_COPY_AFDM, CS_STORAGE_IO or CS_QUEUE_COMPUTE; kept
 *		by pointer, not copied: it must stay valid while the batch
 *		is used
 * @Before:	the entry goes in front of this one, or 0
 * @After:	the entry goes behind this one, or 0 (with @Before too, the
 *		two must be neighbours, @After first); both 0: first
 * @Curr:	receives the new entry's index
 *
 * Return: CS_SUCCESS; CS_INVALID_ARG (an unknown ReqType or entry, or
 * @Before and @After not neighbours); CS_INVALID_HANDLE;
 * CS_OUT_OF_RESOURCES.
 */
CS_STATUS csAddBatchEntry(CS_BATCH_HANDLE BatchHandle, CsBatchRequest *Req,
			  CS_BATCH_INDEX Before, CS_BATCH_INDEX After,
			  CS_BATCH_INDEX *Curr);
/**
 * csHelperReconfigureBatchEntry() - replace the request of a batch entry
 * @BatchHandle:	from csAllocBatchRequest()
 * @Entry:	an index csAddBatchEntry() returned
 * @Req:	the new request (kept by pointer)
 *
 * Return: CS_SUCCESS; CS_INVALID_ARG (no such entry, an unknown ReqType);
 * CS_INVALID_HANDLE.
 */
CS_STATUS csHelperReconfigureBatchEntry(CS_BATCH_HANDLE BatchHandle,
					CS_BATCH_INDEX Entry,
					CsBatchRequest *Req);
/**
 * csHelperResizeBatchRequest() - change a batch's size hint
 * @BatchHandle:	from csAllocBatchRequest()
 * @MaxReqs:	>= 0; only checked (entries are a list: nothing to resize)
 *
 * Return: CS_SUCCESS, CS_INVALID_ARG or CS_INVALID_HANDLE.
 */
CS_STATUS csHelperResizeBatchRequest(CS_BATCH_HANDLE BatchHandle, int MaxReqs);
/**
 * csQueueBatchRequest() - run a batch
 * @BatchHandle:	from csAllocBatchRequest(), with its entries
 * @Context:	passed to @CallbackFn and returned by csPollEvent()
 * @CallbackFn:	called on the drive's library thread when the request
 *		completes, or NULL
 * @EventHandle:	receives the completion (csPollEvent()), or NULL
 * @CompValue:	receives the last entry's value (its bytes, or its program's r0), or NULL
 *
 * Every entry is checked and its range sets are made first; then the
 * commands go to the drive in one io_uring submission, linked with
 * IOSQE_IO_LINK for serial and hybrid batches (the first failure cancels
 * the rest), unlinked for parallel ones.  More than 4096 commands run
 * entry by entry.
 * With @CallbackFn and @EventHandle both NULL the request runs to
 * completion before the call returns; otherwise the call returns
 * CS_QUEUED and the request runs later on the drive's library thread, in
 * queue order (uringblk_cs(7)).  What the request points to must stay valid
 * until it completes.
 *
 * Return: CS_SUCCESS or CS_QUEUED; the first failing entry's status
 * (CS_NOT_DONE for a cancelled one); CS_INVALID_HANDLE.
 */
CS_STATUS csQueueBatchRequest(CS_BATCH_HANDLE BatchHandle, void *Context,
			      csQueueCallbackFn CallbackFn,
			      CS_EVT_HANDLE EventHandle, __u64 *CompValue);

/* Events */
/**
 * csCreateEvent() - create an event for queued requests' completions
 * @EventHandle:	receives the event; delete it with csDeleteEvent()
 *
 * Return: CS_SUCCESS, CS_INVALID_ARG or CS_OUT_OF_RESOURCES.
 */
CS_STATUS csCreateEvent(CS_EVT_HANDLE *EventHandle);
/**
 * csDeleteEvent() - delete an event and the completions it still holds
 * @EventHandle:	from csCreateEvent()
 *
 * Return: CS_SUCCESS or CS_INVALID_EVENT.
 */
CS_STATUS csDeleteEvent(CS_EVT_HANDLE EventHandle);
/**
 * csPollEvent() - take the oldest completion of an event, without blocking
 * @EventHandle:	from csCreateEvent()
 * @Context:	NULL, or a void ** that receives the completed request's
 *		Context (the drafts type it void * and call it an output)
 *
 * Return: CS_NOT_DONE while no completion waits; otherwise the status of
 * the oldest completion, which is removed; CS_INVALID_EVENT.
 */
CS_STATUS csPollEvent(CS_EVT_HANDLE EventHandle, void *Context);

/* Device management */
/**
 * csQueryDeviceProperties() - a CSx's properties, from IDENTIFY
 * @DevHandle:	from csOpenCSx()
 * @Length:	in: the size of @Buffer; out: the size needed
 * @Buffer:	receives HwVersion (the ABI major.minor), SwVersion (the
 *		library's), FriendlyName "uringblkN", FDMinMB (the SLM size),
 *		all flags 0 and one CSE (NumBuiltinFunctions: the
 *		device-defined programs; MaxFunctionParametersAllowed: 3
 *		values plus max_set_ranges regions;
 *		MaxConcurrentFunctionInstances: max_active_progs)
 *
 * Return: CS_SUCCESS; CS_INVALID_LENGTH (@Buffer NULL or too small);
 * CS_INVALID_HANDLE; CS_INVALID_ARG; or IDENTIFY's error.
 */
CS_STATUS csQueryDeviceProperties(CS_DEV_HANDLE DevHandle, int *Length,
				  CSxProperties *Buffer);
/**
 * csQueryDeviceForComputeList() - every program of a CSx
 * @DevHandle:	from csOpenCSx()
 * @Size:	in: the size of @FunctionInfo in bytes; out: the size needed
 * @FunctionInfo:	receives {pind, 1, name} per program
 *
 * Return: CS_SUCCESS; CS_INVALID_LENGTH (@FunctionInfo NULL or too small);
 * CS_INVALID_HANDLE; CS_INVALID_ARG; or PROG_LIST's error.
 */
CS_STATUS csQueryDeviceForComputeList(CS_DEV_HANDLE DevHandle, int *Size,
				      CsFunctionInfo *FunctionInfo);
/**
 * csQueryDeviceStatistics() - usage figures of a CSx, its CSE or a function
 * @DevHandle:	from csOpenCSx()
 * @Type:	CS_STAT_CSx_MEM_USAGE (the allocator's figures and the drive's
 *		SLM traffic in MiB), CS_STAT_CSE_USAGE (TotalFunctionExecutions:
 *		the drive's prog_runs) or CS_STAT_FUNCTION (TotalExecutions:
 *		the program's runs; the drive does not time runs, so the
 *		times are 0)
 * @Identifier:	for CS_STAT_FUNCTION a CS_FUNCTION_ID *; otherwise unused
 * @Stats:	zeroed, then filled
 *
 * Return: CS_SUCCESS; CS_INVALID_FUNCTION (an empty slot);
 * CS_INVALID_HANDLE; CS_INVALID_ARG; or GET_STATS's or PROG_LIST's error.
 */
CS_STATUS csQueryDeviceStatistics(CS_DEV_HANDLE DevHandle, CS_STAT_TYPE Type,
				  void *Identifier, CsStatsInfo *Stats);
/**
 * csDownload() - load a program into a slot, or unload one
 * @DevHandle:	from csOpenCSx()
 * @ProgramInfo:	Type CS_BPF_PROGRAM only; SubType CS_BPF_SUBTYPE_OBJECT
 *		(DataBuffer/Length: a clang-built ELF object) or
 *		CS_BPF_SUBTYPE_PATH (DataBuffer: its path); Index the slot
 *		(0: the lowest free); Unload non-zero unloads the program in
 *		slot Index instead
 *
 * A loaded program is activated.  Objects with global data are loaded
 * with it.
 *
 * Return: CS_SUCCESS; CS_LOAD_ERROR (the validator refused the program:
 * uringblk_cs_download_log() says why); CS_INVALID_ID (no such slot, an
 * empty or a device-defined slot); CS_UNSUPPORTED (another Type);
 * CS_INVALID_OPTION (an unknown SubType); CS_INVALID_HANDLE;
 * CS_INVALID_ARG.
 */
CS_STATUS csDownload(CS_DEV_HANDLE DevHandle, CsDownloadInfo *ProgramInfo);

/**
 * uringblk_cs_status_name() - "CS_INVALID_ARG" for CS_INVALID_ARG
 * @status:	a CS_STATUS
 *
 * Return: the enumerator's name, or NULL for a value outside CS_STATUS.
 */
const char *uringblk_cs_status_name(CS_STATUS status);

/**
 * uringblk_cs_download_log() - why the drive refused the last download
 * @DevHandle:	the CSx csDownload() was given
 * @Buffer:	receives the message of the drive's validator or of the
 *		object reader ("<reason> at insn N"), NUL-terminated, or ""
 * @Length:	its size
 *
 * A uringblk extension: csDownload() can only say CS_LOAD_ERROR.
 */
CS_STATUS uringblk_cs_download_log(CS_DEV_HANDLE DevHandle, char *Buffer,
				   unsigned int Length);

/**
 * uringblk_cs_compute_file() - run a function over a file on the drive,
 *	synchronously (a uringblk extension: the SNIA API has no files)
 * @CSEHandle:	the drive's CSE
 * @FunctionId:	from csGetFunction(): a program slot (pind)
 * @Path:	a regular file on a filesystem on this drive
 * @Args:	@NumArgs (0..3) scalars: ctx->args[0..NumArgs - 1], the rest 0
 * @NumArgs:	0..3
 * @CompValue:	receives the program's r0, or NULL
 * @Errno:	receives 0 or the negative errno behind a failure (-ESTALE:
 *		the file changed during the run), or NULL
 * @Msg:	receives the reason of a refusal or of -ESTALE, or NULL
 * @MsgLen:	its size
 *
 * The file is mapped (uringblk_file_map()) and the program in the slot
 * runs over its extents as one stream of the file's bytes (EXEC with
 * URINGBLK_EXEC_F_EXTENTS: no device memory is used), then the file is
 * checked (uringblk_file_check()).
 *
 * Return: CS_SUCCESS; CS_ENTITY_NOT_ON_DEVICE (the file is not on this
 * drive); CS_UNSUPPORTED (a file that cannot be offloaded: @Msg says why);
 * CS_INVALID_LENGTH (an empty file, or more extents than an EXEC takes);
 * CS_ERROR_IN_EXECUTION (the run stopped, or -ESTALE: see @Errno);
 * CS_INVALID_HANDLE, CS_INVALID_ARG, CS_INVALID_ID (no such slot) or
 * CS_UNKNOWN_COMPUTE_FUNCTION (an empty slot).
 */
CS_STATUS uringblk_cs_compute_file(CS_CSE_HANDLE CSEHandle,
				   CS_FUNCTION_ID FunctionId, const char *Path,
				   const __u64 *Args, int NumArgs,
				   __u64 *CompValue, int *Errno, char *Msg,
				   unsigned int MsgLen);

#ifdef __cplusplus
}
#endif

#endif /* URINGBLK_CS_H */
